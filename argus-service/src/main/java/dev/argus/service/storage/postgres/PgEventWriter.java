package dev.argus.service.storage.postgres;

import dev.argus.service.core.AgentFields;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.TextFold;
import dev.argus.service.storage.EventBatchWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL writer of one instance. Ids are assigned in commit order across every instance
 * that shares the database (SPEC §15), by a row lock rather than a sequence:
 * <ol>
 *   <li>the transaction starts its event work with {@code SELECT last_id FROM event_ids FOR UPDATE};
 *       the row lock is held until commit or rollback, so transactions that assign ids run their
 *       critical part one at a time, cluster-wide;</li>
 *   <li>under READ COMMITTED every statement after the lock sees every transaction that committed
 *       before it, so the uuid lookup is exact across instances (no other writer can store a uuid
 *       between the lookup and the commit);</li>
 *   <li>ids {@code last_id + 1 …} are given in Java, the rows batch-inserted, {@code last_id}
 *       moved, and {@code pg_notify('argus_events', last id)} sent in the same transaction
 *       (delivered only if it commits, in commit order);</li>
 *   <li>the next transaction gets the lock only after this one committed: a smaller id can never
 *       become visible after a larger one, so "resume after N" never misses a later commit.</li>
 * </ol>
 * A sequence alone would not do: two transactions take ids 7 and 8, the one with 8 commits first, a
 * reader sees 8 and resumes after 8, then 7 commits and is never read.
 *
 * <p>Writer thread only; {@link #lastCommittedId()} is safe from any thread.
 */
public final class PgEventWriter implements EventBatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PgEventWriter.class);
    /** The channel that carries the newest committed id after each commit. */
    public static final String CHANNEL = "argus_events";

    private final PostgresStorage storage;
    private volatile long lastId;
    private Connection connection;
    private PreparedStatement lock;
    private PreparedStatement insertEvent;
    private PreparedStatement insertTag;
    private PreparedStatement insertType;
    private PreparedStatement findUuids;
    private PreparedStatement moveLastId;
    private PreparedStatement notify;
    /** Whether the open transaction holds the row lock of {@code event_ids}, and the last id under it. */
    private boolean locked;
    private long txTo;
    private boolean lockSkipped;

    PgEventWriter(PostgresStorage storage) {
        this.storage = storage;
    }

    @Override
    public long lastCommittedId() {
        return lastId;
    }

    @Override
    public void forgetKnownTypes() {
        // Nothing cached: every commit upserts its discovery pairs (another instance may prune them).
    }

    @Override
    public String describe(Throwable failure) {
        return PgErrors.describe(failure, storage.describeLocation());
    }

    @Override
    public void open() throws SQLException {
        Connection c = storage.openWriter();
        try {
            lock = c.prepareStatement("SELECT last_id FROM event_ids FOR UPDATE");
            insertEvent = c.prepareStatement(
                    "INSERT INTO events (id, source, event_type, level, message, message_fold, ts, received_at, data, tags,"
                            + " session_id, uuid, hook, tool_name, tool_use_id, agent_id, status, is_background, task_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insertTag = c.prepareStatement("INSERT INTO event_tags (tag, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
            insertType = c.prepareStatement(
                    "INSERT INTO event_types (source, event_type) VALUES (?, ?) ON CONFLICT DO NOTHING");
            findUuids = c.prepareStatement("SELECT uuid, id FROM events WHERE uuid = ANY (?)");
            moveLastId = c.prepareStatement("UPDATE event_ids SET last_id = ?");
            notify = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)");
            try (PreparedStatement s = c.prepareStatement("SELECT last_id FROM event_ids");
                 ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the event_ids row is missing (was the schema migrated?)");
                }
                lastId = Math.max(lastId, rs.getLong(1));
            }
            c.commit();
            connection = c;
            locked = false;
        } catch (SQLException | RuntimeException e) {
            connection = null;
            closeQuietly(c);
            throw e;
        }
    }

    @Override
    public Connection begin() throws SQLException {
        locked = false;
        if (connection == null) {
            open();
        }
        return connection;
    }

    /**
     * Takes the cluster-wide writer lock for the open transaction (once; later calls are free) and
     * returns the last id committed cluster-wide. Writer tasks that change derived state (sessions,
     * tasks) call it before reading what they change.
     */
    public long lockIds(Connection c) throws SQLException {
        if (c != connection) {
            throw new SQLException("not the writer's connection");
        }
        if (!locked) {
            long last;
            if (lockSkipped) {
                last = 0;   // test hook: ids come from allocateLikeASequence
            } else {
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
            }
            locked = true;
            txTo = last;
            if (last > lastId) {
                lastId = last;   // committed by another instance: seen
            }
        }
        return txTo;
    }

    /**
     * Test hook: assign ids as a sequence would (allocated and committed at once on a side
     * connection, no lock held until commit): the broken mechanism the id-order test must catch.
     */
    public void breakLockForTest(boolean skip) {
        this.lockSkipped = skip;
    }

    /** The broken allocation of {@link #breakLockForTest}: returns the id before the {@code n} allocated ones. */
    private long allocateLikeASequence(int n) throws SQLException {
        try (Connection side = storage.connect();
             PreparedStatement s = side.prepareStatement("UPDATE event_ids SET last_id = last_id + ? RETURNING last_id")) {
            s.setLong(1, n);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) - n;
            }
        }
    }

    @Override
    public Inserted insert(List<List<NewEvent>> requests, long received) throws SQLException {
        long next = lockIds(connection);
        // Uuids already stored (by any instance: the lock orders us after every earlier commit).
        Set<String> uuids = new LinkedHashSet<>();
        for (List<NewEvent> events : requests) {
            for (NewEvent e : events) {
                if (e.uuid() != null) {
                    uuids.add(e.uuid());
                }
            }
        }
        Map<String, Long> known = new HashMap<>();
        if (!uuids.isEmpty()) {
            Array array = connection.createArrayOf("text", uuids.toArray());
            findUuids.setArray(1, array);
            try (ResultSet rs = findUuids.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        if (lockSkipped) {
            int total = 0;
            for (List<NewEvent> events : requests) {
                total += events.size();
            }
            next = allocateLikeASequence(total);
        }
        List<StoredEvent> stored = new ArrayList<>();
        List<IngestResult> results = new ArrayList<>(requests.size());
        Set<String> pairs = new LinkedHashSet<>();
        List<String[]> pairList = new ArrayList<>();
        int dupCount = 0;
        boolean tags = false;
        for (List<NewEvent> events : requests) {
            int n = events.size();
            long[] ids = new long[n];
            boolean[] dup = new boolean[n];
            for (int i = 0; i < n; i++) {
                NewEvent e = events.get(i);
                if (e.uuid() != null) {
                    Long earlier = known.get(e.uuid());
                    if (earlier != null) {
                        ids[i] = earlier;
                        dup[i] = true;
                        dupCount++;
                        continue;
                    }
                }
                long id = ++next;
                ids[i] = id;
                bindInsert(id, received, e);
                if (e.uuid() != null) {
                    known.put(e.uuid(), id);
                }
                for (String tag : e.tags()) {
                    insertTag.setString(1, tag);
                    insertTag.setLong(2, id);
                    insertTag.addBatch();
                    tags = true;
                }
                if (pairs.add(e.source() + '\u0000' + e.eventType())) {
                    pairList.add(new String[] {e.source(), e.eventType()});
                }
                stored.add(StoredEvent.of(id, received, e));
            }
            results.add(new IngestResult(ids, dup));
        }
        if (!stored.isEmpty()) {
            insertEvent.executeBatch();
            if (tags) {
                insertTag.executeBatch();
            }
            for (String[] p : pairList) {
                insertType.setString(1, p[0]);
                insertType.setString(2, p[1]);
                insertType.addBatch();
            }
            insertType.executeBatch();
            if (!lockSkipped) {
                moveLastId.setLong(1, next);
                moveLastId.executeUpdate();
            }
            notify.setString(1, Long.toString(next));
            try (ResultSet rs = notify.executeQuery()) {
                rs.next();
            }
        }
        txTo = next;
        return new Inserted(results, stored, dupCount);
    }

    private void bindInsert(long id, long received, NewEvent e) throws SQLException {
        PreparedStatement s = insertEvent;
        s.setLong(1, id);
        s.setString(2, e.source());
        s.setString(3, e.eventType());
        if (e.level() == null) {
            s.setNull(4, Types.INTEGER);
        } else {
            s.setInt(4, e.level().ordinal());
        }
        s.setString(5, e.message());
        s.setString(6, e.message() == null ? null : TextFold.fold(e.message()));
        s.setLong(7, e.timestampMicros());
        s.setLong(8, received);
        s.setString(9, e.dataJson());
        s.setString(10, e.tagsJson());
        s.setString(11, e.sessionId());
        s.setString(12, e.uuid());
        AgentFields a = e.agent();
        s.setString(13, a.hook());
        s.setString(14, a.toolName());
        s.setString(15, a.toolUseId());
        s.setString(16, a.agentId());
        s.setString(17, a.status());
        if (a.isBackground() == null) {
            s.setNull(18, Types.INTEGER);
        } else {
            s.setInt(18, a.isBackground() ? 1 : 0);
        }
        s.setString(19, a.taskId());
        s.addBatch();
    }

    @Override
    public void commit() throws SQLException {
        connection.commit();
        if (locked && txTo > lastId) {
            lastId = txTo;
        }
        locked = false;
    }

    /**
     * Rolls the failed transaction back (PostgreSQL rolls a transaction back whole). When the
     * connection itself failed (the database restarted or is unreachable) it is closed and the next
     * transaction opens a new one. A failure of the COMMIT itself leaves its outcome unknown: it is
     * answered 503 like any failure; if it did reach the database its events stay, whole, and a
     * client retry with the same uuid gets the stored id (docs/postgres.md).
     */
    @Override
    public void abort() {
        locked = false;
        Connection c = connection;
        if (c == null) {
            return;
        }
        clearBatches();
        try {
            c.rollback();
            if (c.isValid(5)) {
                return;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("rollback failed ({}); reconnecting before the next write", e.getMessage());
        }
        close();
    }

    private void clearBatches() {
        for (PreparedStatement s : new PreparedStatement[] {insertEvent, insertTag, insertType}) {
            try {
                if (s != null) {
                    s.clearBatch();
                }
            } catch (SQLException | RuntimeException ignored) {
                // the connection is gone; close() settles it
            }
        }
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        locked = false;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // broken connection: closing is all that is left
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("closing the writer connection failed: {}", e.getMessage());
        }
    }
}
