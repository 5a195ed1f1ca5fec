package dev.argus.service.storage.sqlite;

import dev.argus.service.core.AgentFields;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads events from SQLite on the read pool (never the writer's connection): the SQL of
 * {@link EventFilter}, replay and discovery. SQL is assembled only from fixed
 * fragments and {@code ?} placeholders; every value is bound.
 */
public final class SqliteEventReader implements EventReader {
    private static final String COLUMNS =
            "id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid,"
                    + " hook, tool_name, tool_use_id, agent_id, status, is_background, task_id";
    private static final RowMapper<StoredEvent> MAPPER = (rs, ctx) -> {
        int level = rs.getInt(4);
        Level lvl = rs.wasNull() ? null : Level.ofOrdinal(level);
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), lvl, rs.getString(5),
                rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), null, agentFields(rs));
    };

    /** Columns 12–18: the §12.1 fields. */
    private static AgentFields agentFields(java.sql.ResultSet rs) throws java.sql.SQLException {
        int bg = rs.getInt(17);
        Boolean background = rs.wasNull() ? null : bg != 0;
        return AgentFields.of(rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                rs.getString(16), background, rs.getString(18));
    }

    private final Jdbi jdbi;

    public SqliteEventReader(Jdbi jdbi) {
        this.jdbi = jdbi.installPlugin(new TextFunctions());
    }

    /** A page of events; one more than {@code limit} is read to tell whether another page exists. */
    @Override
    public List<StoredEvent> find(EventQuery q, int fetch) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(256);
        EventFilter filter = q.filter();
        String idColumn = "id";
        List<Object> tags = filter.values(EventFilter.Field.TAG);
        if (tags.size() == 1) {
            // Drive the query from the (tag, event_id) index in id order: it stops after one page
            // however common the tag is; an IN-subquery would first collect every tagged id.
            sql.append("SELECT ").append(prefixed(COLUMNS)).append(" FROM event_tags t CROSS JOIN events e")
                    .append(" ON e.id = t.event_id WHERE t.tag = ?");
            args.add(tags.get(0));
            filter = filter.without(EventFilter.Field.TAG);
            idColumn = "t.event_id";
        } else {
            sql.append("SELECT ").append(COLUMNS).append(" FROM events WHERE 1 = 1");
        }
        appendFilter(sql, args, filter);
        if (q.afterId() != null) {
            sql.append(" AND ").append(idColumn).append(" > ?");
            args.add(q.afterId());
        }
        if (q.beforeId() != null) {
            sql.append(" AND ").append(idColumn).append(" < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY ").append(idColumn).append(q.ascending() ? " ASC" : " DESC").append(" LIMIT ?");
        args.add(fetch);
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                query.bind(i, args.get(i));
            }
            return query.map(MAPPER).list();
        });
    }

    @Override
    public StoredEvent findById(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM events WHERE id = ?")
                .bind(0, id).map(MAPPER).findOne().orElse(null));
    }

    private static String prefixed(String columns) {
        return "e." + columns.replace(", ", ", e.");
    }

    /**
     * The SQL of {@link EventFilter}: one {@code AND} term per clause, the clause's values OR-ed, every
     * value bound. Field by field the rules of {@link EventFilter#matches}: a NULL level, session or
     * message matches nothing.
     */
    static void appendFilter(StringBuilder sql, List<Object> args, EventFilter f) {
        for (EventFilter.Field field : f.fields()) {
            List<Object> v = f.values(field);
            String term = switch (field) {
                case SOURCE -> in("source", v, args);
                case EVENT_TYPE -> in("event_type", v, args);
                case LEVEL -> in("level", ordinals(v), args);
                case MIN_LEVEL -> anyOf("level >= ?", ordinals(v), args);
                case SESSION_ID -> in("session_id", v, args);
                case TAG -> "id IN (SELECT event_id FROM event_tags WHERE " + in("tag", v, args) + ")";
                case TEXT -> {
                    args.addAll(f.foldedTexts());
                    yield TextFunctions.CONTAINS_FOLDED + "(message" + ", ?".repeat(v.size()) + ") = 1";
                }
                case HOOK -> in("hook", v, args);
                case TOOL_NAME -> in("tool_name", v, args);
                case TOOL_USE_ID -> in("tool_use_id", v, args);
                case AGENT_ID -> in("agent_id", v, args);
                case STATUS -> in("status", v, args);
                case IS_BACKGROUND -> in("is_background", v.stream().map(b -> (Object) ((Boolean) b ? 1 : 0)).toList(), args);
                case TASK_ID -> in("task_id", v, args);
                case SINCE -> anyOf("ts >= ?", v, args);
                case UNTIL -> anyOf("ts <= ?", v, args);
            };
            sql.append(" AND ").append(term);
        }
    }

    private static List<Object> ordinals(List<Object> levels) {
        List<Object> out = new ArrayList<>(levels.size());
        for (Object l : levels) {
            out.add(((Level) l).ordinal());
        }
        return out;
    }

    private static String anyOf(String term, List<Object> values, List<Object> args) {
        args.addAll(values);
        return values.size() == 1 ? term : "(" + String.join(" OR ", Collections.nCopies(values.size(), term)) + ")";
    }

    private static String in(String column, List<?> values, List<Object> args) {
        StringBuilder sql = new StringBuilder(column);
        placeholders(sql, args, values);
        return sql.toString();
    }

    private static void placeholders(StringBuilder sql, List<Object> args, List<?> values) {
        if (values.size() == 1) {
            sql.append(" = ?");
            args.add(values.get(0));
            return;
        }
        sql.append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            args.add(values.get(i));
        }
        sql.append(')');
    }

    /** Every source that has events, sorted by code point (SQLite's binary order of UTF-8). */
    @Override
    public List<String> sources() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT source FROM event_types ORDER BY source")
                .mapTo(String.class).list());
    }

    /** Every event type, optionally only those of the given sources. */
    @Override
    public List<String> eventTypes(List<String> sources) {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT event_type FROM event_types");
        List<Object> args = new ArrayList<>();
        if (!sources.isEmpty()) {
            sql.append(" WHERE source");
            placeholders(sql, args, sources);
        }
        sql.append(" ORDER BY event_type");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                q.bind(i, args.get(i));
            }
            return q.mapTo(String.class).list();
        });
    }
}
