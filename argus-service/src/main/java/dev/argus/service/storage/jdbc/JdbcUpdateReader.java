package dev.argus.service.storage.jdbc;

import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.UpdateReader;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;


import java.util.ArrayList;
import java.util.List;

/**
 * {@link UpdateReader} (SQLite and PostgreSQL): events with {@code task_id IS NOT NULL} (served by the partial
 * index {@code events_task_id_id}), every value bound.
 */
public final class JdbcUpdateReader implements UpdateReader {
    private static final String COLUMNS = EventRows.COLUMNS;
    private static final RowMapper<StoredEvent> MAPPER = EventRows.MAPPER;

    private final Jdbi jdbi;

    public JdbcUpdateReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<StoredEvent> find(UpdateReader.Query q, long afterSeq, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(q, afterSeq, args);
        args.add(limit);
        return run("SELECT " + COLUMNS + " FROM events WHERE " + where + " ORDER BY id ASC LIMIT ?", args,
                query -> query.map(MAPPER).list());
    }

    @Override
    public long count(UpdateReader.Query q, long afterSeq) {
        List<Object> args = new ArrayList<>();
        String where = where(q, afterSeq, args);
        return run("SELECT COUNT(*) FROM events WHERE " + where, args, query -> query.mapTo(Long.class).one());
    }

    private <T> T run(String sql, List<Object> args, java.util.function.Function<org.jdbi.v3.core.statement.Query, T> body) {
        return jdbi.withHandle(h -> {
            org.jdbi.v3.core.statement.Query query = h.createQuery(sql);
            for (int i = 0; i < args.size(); i++) {
                query.bind(i, args.get(i));
            }
            return body.apply(query);
        });
    }

    private static String where(UpdateReader.Query q, long afterSeq, List<Object> args) {
        StringBuilder sql = new StringBuilder("task_id IS NOT NULL");
        in(sql, "task_id", q.taskIds(), args);
        in(sql, "source", q.sources(), args);
        in(sql, "event_type", q.kinds(), args);
        if (!q.tags().isEmpty()) {
            sql.append(" AND id IN (SELECT event_id FROM event_tags WHERE 1 = 1");
            in(sql, "tag", q.tags(), args);
            sql.append(')');
        }
        if (afterSeq > 0) {
            sql.append(" AND id > ?");
            args.add(afterSeq);
        }
        return sql.toString();
    }

    private static void in(StringBuilder sql, String column, List<String> values, List<Object> args) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(" AND ").append(column).append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            args.add(values.get(i));
        }
        sql.append(')');
    }
}
