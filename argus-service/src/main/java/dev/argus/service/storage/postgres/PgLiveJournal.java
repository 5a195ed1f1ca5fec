package dev.argus.service.storage.postgres;

import dev.argus.service.agents.Agent;
import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.agents.Session;
import dev.argus.service.core.Timestamps;
import dev.argus.service.storage.LiveJournal;
import dev.argus.service.storage.SessionStorageException;
import dev.argus.service.storage.WriteLock;
import dev.argus.service.storage.WriterSessionStore;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code live_journal} table (db/postgresql/V4): read by the commit tail through the
 * pooled readers; written by {@link Writing}, the session store of the writer's transaction, which
 * also deletes entries older than an hour every {@value #PRUNE_EVERY}th time it writes.
 */
final class PgLiveJournal implements LiveJournal {
    static final String INSERT = "INSERT INTO live_journal (stream, after_event_id, instance, source, session_id,"
            + " task_id, sse_event, frame, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** How long entries are kept: a tail reads them within seconds; a reconnecting one within minutes. */
    static final long KEEP_MICROS = 3_600_000_000L;
    /** Entries older than {@link #KEEP_MICROS} are deleted by every this many-th writing transaction. */
    static final int PRUNE_EVERY = 256;
    private static final AtomicLong WRITES = new AtomicLong();

    private final Jdbi reads;
    private final String instance;

    PgLiveJournal(Jdbi reads, String instance) {
        this.reads = reads;
        this.instance = instance;
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public List<Entry> after(long afterId, int limit) {
        return reads.withHandle(h -> h.createQuery("SELECT id, stream, after_event_id, instance, source, session_id,"
                        + " task_id, sse_event, frame FROM live_journal WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)))
                .list());
    }

    @Override
    public long newestId() {
        return reads.withHandle(h -> h.createQuery("SELECT coalesce(max(id), 0) FROM live_journal")
                .mapTo(Long.class).one());
    }

    private static void bind(PreparedStatement p, String stream, long afterEventId, String instance, String source,
                             String sessionId, String taskId, String sseEvent, String frame, long now) throws SQLException {
        p.setString(1, stream);
        p.setLong(2, afterEventId);
        p.setString(3, instance);
        p.setString(4, source);
        p.setString(5, sessionId);
        p.setString(6, taskId);
        p.setString(7, sseEvent);
        p.setString(8, frame);
        p.setLong(9, now);
    }

    /**
     * After a journal write: now and then deletes entries older than {@link #KEEP_MICROS}; when the
     * change committed no event ({@code noEvent}), notifies {@code argus_events} too, since nothing
     * else would wake the other instances' tails before their next poll.
     */
    private static void afterWrite(Connection c, boolean noEvent, long now) throws SQLException {
        if (WRITES.incrementAndGet() % PRUNE_EVERY == 0) {
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM live_journal WHERE created_at < ?")) {
                prune.setLong(1, now - KEEP_MICROS);
                prune.executeUpdate();
            }
        }
        if (noEvent) {
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify('" + PgEventWriter.CHANNEL + "', 'journal')")) {
                notify.execute();
            }
        }
    }

    /** The work store's recorder: a task/workstream state event, in the change's transaction (lock held). */
    Work work() {
        return (c, type, taskId, json) -> {
            long now = Timestamps.nowMicros();
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                bind(p, UPDATES, 0, instance, null, null, taskId, type, json, now);
                p.executeUpdate();
            }
            afterWrite(c, true, now);
        };
    }

    /**
     * The portable session store plus {@link #journal}: the messages go into the journal in the
     * same transaction, after the cluster-wide writer lock (so journal ids follow commit order and
     * a tail that read id N never sees a smaller one commit later).
     */
    static final class Writing implements WriterSessionStore {
        private final WriterSessionStore store;
        private final Connection connection;
        private final WriteLock lock;
        private final String instance;
        private PreparedStatement insert;

        Writing(WriterSessionStore store, Connection connection, WriteLock lock, String instance) {
            this.store = store;
            this.connection = connection;
            this.lock = lock;
            this.instance = instance;
        }

        @Override
        public void journal(long afterEventId, List<LifecycleMessage> messages) {
            if (messages.isEmpty()) {
                return;
            }
            try {
                lock.acquire(connection);
                if (insert == null) {
                    insert = connection.prepareStatement(INSERT);
                }
                long now = Timestamps.nowMicros();
                for (LifecycleMessage m : messages) {
                    bind(insert, EVENTS, afterEventId, instance, m.source(), m.sessionId(), null, m.sseEvent(), m.toJson(), now);
                    insert.addBatch();
                }
                insert.executeBatch();
                afterWrite(connection, afterEventId == 0, now);
            } catch (SQLException e) {
                throw new SessionStorageException(e);
            }
        }

        @Override
        public boolean uses(Connection c) {
            return store.uses(c);
        }

        @Override
        public boolean taskExists(String taskId) {
            return store.taskExists(taskId);
        }

        @Override
        public Session find(String id) {
            return store.find(id);
        }

        @Override
        public List<Agent> agents(String sessionId) {
            return store.agents(sessionId);
        }

        @Override
        public void upsert(Session session) {
            store.upsert(session);
        }

        @Override
        public void upsert(Agent agent) {
            store.upsert(agent);
        }

        @Override
        public List<Session> activeSince(long cutoffMicros) {
            return store.activeSince(cutoffMicros);
        }
    }
}
