package dev.argus.service.storage.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.Timestamps;
import dev.argus.service.storage.LiveJournal;
import dev.argus.service.storage.WriteLock;
import dev.argus.service.storage.WriteRunner;
import dev.argus.service.work.*;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Workstreams and tasks in storage (SPEC §13.1). Every change runs on the single writer
 * ({@link WriteRunner#execute}) in its own transaction and returns after the commit, so a change
 * answered 2xx is as durable as an event; a PATCH reads the current row, applies the pure patch
 * and writes it in that one transaction, so concurrent PATCHes of one row serialise. Reads use the
 * read pool. Lists are oldest first by {@code (created_at, id)}.
 *
 * <p>Times issued by one store strictly increase ({@code max(clock, last + 1)}), so
 * {@code updated_at} always moves forward, even for two PATCHes within one microsecond or when
 * the clock steps back, and creation order is list order. The SQL is the same on SQLite and
 * PostgreSQL; every writer task first takes the dialect's {@link WriteLock} (PostgreSQL: the
 * cluster-wide writer lock, so a PATCH on one instance never overwrites a concurrent one on another).
 */
public class JdbcWorkStore implements WorkStore {
    private static final String WS_COLUMNS = "id, name, status, metadata, created_at, updated_at";
    private static final String TASK_COLUMNS = "id, workstream_id, name, status, summary_text, summary_updated_at,"
            + " summary_source, hidden_at, metadata, created_at, updated_at";

    private final WriteRunner engine;
    private final Jdbi reads;
    private final LongSupplier clock;
    private final WriteLock lock;
    /** Where a committed change's /api/stream state event is also recorded (a shared database), else NONE. */
    private final LiveJournal.Work journal;
    /** The last time issued; loaded from storage on first use. Only the writer thread touches it. */
    private long lastStamp = Long.MIN_VALUE;

    public JdbcWorkStore(WriteRunner engine, Jdbi reads, WriteLock lock) {
        this(engine, reads, lock, LiveJournal.Work.NONE);
    }

    /**
     * @param journal records each change's {@code /api/stream} state event ({@code workstream_created},
     *                …, the object as answered) in the change's transaction, for the other instances'
     *                streams (SPEC §15)
     */
    public JdbcWorkStore(WriteRunner engine, Jdbi reads, WriteLock lock, LiveJournal.Work journal) {
        this(engine, reads, lock, Timestamps::nowMicros, journal);
    }

    protected JdbcWorkStore(WriteRunner engine, Jdbi reads, WriteLock lock, LongSupplier clock) {
        this(engine, reads, lock, clock, LiveJournal.Work.NONE);
    }

    private JdbcWorkStore(WriteRunner engine, Jdbi reads, WriteLock lock, LongSupplier clock, LiveJournal.Work journal) {
        this.engine = engine;
        this.reads = reads;
        this.clock = clock;
        this.lock = lock;
        this.journal = journal;
    }

    /** {@code stored} as {@code /api/stream} will show it, recorded in the journal; returns {@code stored}. */
    private <T> T journaled(Connection c, String type, String taskId, T stored) throws SQLException {
        if (journal != LiveJournal.Work.NONE) {
            try {
                journal.record(c, type, taskId, WorkJson.MAPPER.writeValueAsString(stored));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot encode " + type, e);
            }
        }
        return stored;
    }

    /** The outcome of a writer task: a value, or the refusal to answer (nothing was written). */
    private record Attempt<T>(T value, WorkRequestException refusal) {
        static <T> Attempt<T> ok(T value) {
            return new Attempt<>(value, null);
        }

        static <T> Attempt<T> refused(WorkRequestException e) {
            return new Attempt<>(null, e);
        }

        T get() {
            if (refusal != null) {
                throw refusal;
            }
            return value;
        }
    }

    /** Stores a new workstream and returns it after the commit. */
    @Override
    public Workstream createWorkstream(WorkstreamCreate create) throws StorageException {
        return engine.execute(c -> {
            lock.acquire(c);
            Workstream w = create.toWorkstream(UUID.randomUUID().toString(), stamp(c, Long.MIN_VALUE));
            insert(c, w);
            // as stored (PostgreSQL text holds no U+0000: PgText)
            return journaled(c, "workstream_created", null, selectWorkstream(c, w.id()));
        });
    }

    /**
     * Applies {@code PATCH /api/workstreams/{id}}.
     *
     * @throws WorkRequestException 404 for an unknown id, 422 for a body the patch refuses; nothing changed
     */
    @Override
    public Workstream patchWorkstream(String id, JsonNode patch) throws StorageException {
        // Shape errors are answered before the id is looked up, and without a writer round trip.
        WorkstreamPatch.apply(new Workstream(id, "x", WorkstreamStatus.ACTIVE, "{}", 0, 0), patch, 0);
        String key = normalizedId(id);
        if (key == null) {
            throw notFound("workstream", id);
        }
        return engine.execute(c -> {
            lock.acquire(c);
            Workstream current = selectWorkstream(c, key);
            if (current == null) {
                return Attempt.<Workstream>refused(notFound("workstream", id));
            }
            Workstream next;
            try {
                next = WorkstreamPatch.apply(current, patch, stamp(c, current.updatedAt()));
            } catch (WorkRequestException e) {
                return Attempt.<Workstream>refused(e);
            }
            update(c, next);
            return Attempt.ok(journaled(c, "workstream_updated", null, selectWorkstream(c, key)));
        }).get();
    }

    /**
     * Stores a new task in an existing workstream.
     *
     * @throws WorkRequestException 404 when the workstream does not exist; nothing stored
     */
    @Override
    public Task createTask(TaskCreate create) throws StorageException {
        return engine.execute(c -> {
            lock.acquire(c);
            if (selectWorkstream(c, create.workstreamId()) == null) {
                return Attempt.<Task>refused(notFound("workstream", create.workstreamId()));
            }
            Task t = create.toTask(UUID.randomUUID().toString(), stamp(c, Long.MIN_VALUE));
            insert(c, t);
            return Attempt.ok(journaled(c, "task_created", t.id(), selectTask(c, t.id())));
        }).get();
    }

    /**
     * Applies {@code PATCH /api/tasks/{id}}.
     *
     * @throws WorkRequestException 404 for an unknown task or a new {@code workstream_id} that names
     *                              no workstream, 422 for a body the patch refuses; nothing changed
     */
    @Override
    public Task patchTask(String id, JsonNode patch) throws StorageException {
        TaskPatch.apply(new Task(id, id, "x", TaskStatus.ACTIVE, null, null, null, null, "{}", 0, 0), patch, 0);
        String key = normalizedId(id);
        if (key == null) {
            throw notFound("task", id);
        }
        return engine.execute(c -> {
            lock.acquire(c);
            Task current = selectTask(c, key);
            if (current == null) {
                return Attempt.<Task>refused(notFound("task", id));
            }
            Task next;
            try {
                next = TaskPatch.apply(current, patch, stamp(c, current.updatedAt()));
            } catch (WorkRequestException e) {
                return Attempt.<Task>refused(e);
            }
            if (!next.workstreamId().equals(current.workstreamId()) && selectWorkstream(c, next.workstreamId()) == null) {
                return Attempt.<Task>refused(notFound("workstream", next.workstreamId()));
            }
            update(c, next);
            return Attempt.ok(journaled(c, "task_updated", key, selectTask(c, key)));
        }).get();
    }

    /** Workstreams oldest first; archived ones only when asked. */
    @Override
    public List<Workstream> listWorkstreams(boolean includeArchived) {
        String sql = "SELECT " + WS_COLUMNS + " FROM workstreams"
                + (includeArchived ? "" : " WHERE status = :status") + " ORDER BY created_at, id";
        return reads.withHandle(h -> {
            Query q = h.createQuery(sql);
            if (!includeArchived) {
                q.bind("status", WorkstreamStatus.ACTIVE.json());
            }
            return q.map((rs, ctx) -> workstream(rs)).list();
        });
    }

    /** Tasks oldest first, optionally of one workstream and/or status; hidden ones only when asked. */
    @Override
    public List<Task> listTasks(String workstreamId, TaskStatus status, boolean includeHidden) {
        List<String> where = new ArrayList<>();
        if (workstreamId != null) {
            where.add("workstream_id = :ws");
        }
        if (status != null) {
            where.add("status = :status");
        }
        if (!includeHidden) {
            where.add("hidden_at IS NULL");
        }
        String sql = "SELECT " + TASK_COLUMNS + " FROM tasks"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY created_at, id";
        return reads.withHandle(h -> {
            Query q = h.createQuery(sql);
            if (workstreamId != null) {
                q.bind("ws", workstreamId.toLowerCase(Locale.ROOT));
            }
            if (status != null) {
                q.bind("status", status.json());
            }
            return q.map((rs, ctx) -> task(rs)).list();
        });
    }

    /** One workstream by id (read pool). */
    @Override
    public Optional<Workstream> workstream(String id) {
        String key = normalizedId(id);
        if (key == null) {
            return Optional.empty();
        }
        return reads.withHandle(h -> h.createQuery("SELECT " + WS_COLUMNS + " FROM workstreams WHERE id = :id")
                .bind("id", key).map((rs, ctx) -> workstream(rs)).findOne());
    }

    /** One task by id (read pool). */
    @Override
    public Optional<Task> task(String id) {
        String key = normalizedId(id);
        if (key == null) {
            return Optional.empty();
        }
        return reads.withHandle(h -> h.createQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = :id")
                .bind("id", key).map((rs, ctx) -> task(rs)).findOne());
    }

    /** A time later than every time this store issued before and than {@code floor}. Writer thread only. */
    private long stamp(Connection c, long floor) throws SQLException {
        if (lastStamp == Long.MIN_VALUE) {
            lastStamp = latestStored(c);
        }
        long after = Math.max(lastStamp, floor);
        long now = Math.max(clock.getAsLong(), after == Long.MIN_VALUE ? Long.MIN_VALUE : after + 1);
        lastStamp = now;
        return now;
    }

    private static long latestStored(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(m) FROM (SELECT MAX(updated_at) AS m FROM workstreams"
                + " UNION ALL SELECT MAX(updated_at) FROM tasks) AS latest");
             ResultSet rs = s.executeQuery()) {
            long v = rs.next() ? rs.getLong(1) : 0;
            return rs.wasNull() ? 0 : v;
        }
    }

    private static String normalizedId(String id) {
        return WorkJson.isUuid(id) ? id.toLowerCase(Locale.ROOT) : null;
    }

    private static WorkRequestException notFound(String what, String id) {
        return new WorkRequestException(404, null, what + " '" + id + "' not found");
    }

    private static Workstream selectWorkstream(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + WS_COLUMNS + " FROM workstreams WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? workstream(rs) : null;
            }
        }
    }

    private static Task selectTask(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? task(rs) : null;
            }
        }
    }

    private static void insert(Connection c, Workstream w) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO workstreams (" + WS_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, w.id());
            s.setString(2, w.name());
            s.setString(3, w.status().json());
            s.setString(4, w.metadataJson());
            s.setLong(5, w.createdAt());
            s.setLong(6, w.updatedAt());
            s.executeUpdate();
        }
    }

    private static void update(Connection c, Workstream w) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE workstreams SET name = ?, status = ?, metadata = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, w.name());
            s.setString(2, w.status().json());
            s.setString(3, w.metadataJson());
            s.setLong(4, w.updatedAt());
            s.setString(5, w.id());
            s.executeUpdate();
        }
    }

    private static void insert(Connection c, Task t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tasks (" + TASK_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, t.id());
            bindTask(s, 2, t);
            s.setLong(10, t.createdAt());
            s.setLong(11, t.updatedAt());
            s.executeUpdate();
        }
    }

    private static void update(Connection c, Task t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE tasks SET workstream_id = ?, name = ?, status = ?,"
                + " summary_text = ?, summary_updated_at = ?, summary_source = ?, hidden_at = ?, metadata = ?,"
                + " updated_at = ? WHERE id = ?")) {
            bindTask(s, 1, t);
            s.setLong(9, t.updatedAt());
            s.setString(10, t.id());
            s.executeUpdate();
        }
    }

    /** Binds workstream_id … metadata (eight values) from {@code first}. */
    private static void bindTask(PreparedStatement s, int first, Task t) throws SQLException {
        s.setString(first, t.workstreamId());
        s.setString(first + 1, t.name());
        s.setString(first + 2, t.status().json());
        s.setString(first + 3, t.summaryText());
        setLong(s, first + 4, t.summaryUpdatedAt());
        s.setString(first + 5, t.summarySource());
        setLong(s, first + 6, t.hiddenAt());
        s.setString(first + 7, t.metadataJson());
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.INTEGER);
        } else {
            s.setLong(i, v);
        }
    }

    private static Workstream workstream(ResultSet rs) throws SQLException {
        return new Workstream(rs.getString(1), rs.getString(2), WorkstreamStatus.parse(rs.getString(3)),
                rs.getString(4), rs.getLong(5), rs.getLong(6));
    }

    private static Task task(ResultSet rs) throws SQLException {
        return new Task(rs.getString(1), rs.getString(2), rs.getString(3), TaskStatus.parse(rs.getString(4)),
                rs.getString(5), nullableLong(rs, 6), rs.getString(7), nullableLong(rs, 8), rs.getString(9),
                rs.getLong(10), rs.getLong(11));
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
