package dev.argus.service.storage.jdbc;

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
 * Reads events on the read pool (never the writer's connection): the SQL of {@link EventFilter},
 * replay and discovery, for SQLite and PostgreSQL ({@link SqlDialect} holds the differences). SQL
 * is assembled only from fixed fragments and {@code ?} placeholders; every value is bound.
 */
public class JdbcEventReader implements EventReader {
    private static final String COLUMNS = EventRows.COLUMNS;
    private static final RowMapper<StoredEvent> MAPPER = EventRows.MAPPER;

    private final Jdbi jdbi;
    private final SqlDialect dialect;

    public JdbcEventReader(Jdbi jdbi, SqlDialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
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
            sql.append("SELECT ").append(EventRows.prefixed("e")).append(" FROM event_tags t ").append(dialect.tagJoin)
                    .append(" events e")
                    .append(" ON e.id = t.event_id WHERE t.tag = ?");
            args.add(tags.get(0));
            filter = filter.without(EventFilter.Field.TAG);
            idColumn = "t.event_id";
        } else {
            sql.append("SELECT ").append(COLUMNS).append(" FROM events WHERE 1 = 1");
        }
        appendFilter(sql, args, filter, dialect);
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

    /**
     * The SQL of {@link EventFilter}: one {@code AND} term per clause, the clause's values OR-ed, every
     * value bound. Field by field the rules of {@link EventFilter#matches}: a NULL level, session or
     * message matches nothing.
     */
    static void appendFilter(StringBuilder sql, List<Object> args, EventFilter f, SqlDialect dialect) {
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
                    yield dialect.containsFolded(v.size());
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

    /** Every source that has events, sorted by code point (SQLite's binary order of UTF-8, PostgreSQL's "C"). */
    @Override
    public List<String> sources() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT source" + dialect.codePointOrder
                + " AS source FROM event_types ORDER BY 1")
                .mapTo(String.class).list());
    }

    /** Every event type, optionally only those of the given sources. */
    @Override
    public List<String> eventTypes(List<String> sources) {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT event_type" + dialect.codePointOrder
                + " AS event_type FROM event_types");
        List<Object> args = new ArrayList<>();
        if (!sources.isEmpty()) {
            sql.append(" WHERE source");
            placeholders(sql, args, sources);
        }
        sql.append(" ORDER BY 1");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                q.bind(i, args.get(i));
            }
            return q.mapTo(String.class).list();
        });
    }
}
