package dev.argus.service.storage.postgres;

import dev.argus.service.core.StorageException;
import dev.argus.service.storage.RetentionStore;
import dev.argus.service.storage.WriteTask;
import dev.argus.service.storage.jdbc.RetentionSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Retention on PostgreSQL. Chunks are id-prefix deletes as on SQLite, each under
 * {@code pg_try_advisory_xact_lock}: when several instances run retention at once, one deletes and
 * the others find the lock taken and end their pass, so retention runs once per cluster.
 * Vacuum is PostgreSQL's own (autovacuum); {@link #incrementalVacuum} runs a plain {@code VACUUM}
 * (no exclusive lock) of the event tables on a maintenance connection, once per cluster, and
 * {@link #checkpoint} is a no-op (the server checkpoints itself).
 */
public final class PgRetentionStore implements RetentionStore {
    /** The advisory lock key of retention (any constant shared by every instance). */
    static final long RETENTION_LOCK = 0x4172677573L;   // "Argus"
    static final long VACUUM_LOCK = RETENTION_LOCK + 1;

    private final PostgresStorage storage;
    private final PgEventWriter writer;

    PgRetentionStore(PostgresStorage storage, PgEventWriter writer) {
        this.storage = storage;
        this.writer = writer;
    }

    @Override
    public WriteTask<Chunk> deleteChunk(long cutoffMicros, int chunkRows) {
        return conn -> {
            try (PreparedStatement lock = conn.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, RETENTION_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return new Chunk(0, false);   // another instance is deleting
                    }
                }
            }
            return RetentionSql.deleteOldest(conn, cutoffMicros, chunkRows);
        };
    }

    @Override
    public UnusedTypes scanUnusedTypes() throws StorageException {
        try (Connection read = storage.openMaintenance()) {
            return RetentionSql.scanUnusedTypes(read, "SELECT last_id FROM event_ids");
        } catch (SQLException e) {
            throw new StorageException("could not scan event types: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the candidates under the cluster-wide writer lock: no instance commits an event in
     * between, so a pair that got an event since the scan is seen and kept.
     */
    @Override
    public WriteTask<Integer> deleteUnusedTypes(UnusedTypes candidates) {
        return conn -> {
            writer.lockIds(conn);
            return RetentionSql.deleteUnusedTypes(conn, candidates);
        };
    }

    @Override
    public WriteTask<Long> pageSize() {
        return conn -> {
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('block_size')::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        };
    }

    /** PostgreSQL gives space back by (auto)vacuum: always available. */
    @Override
    public WriteTask<Boolean> incrementalVacuumEnabled() {
        return conn -> true;
    }

    /**
     * One plain {@code VACUUM} of the event tables on a maintenance connection (VACUUM cannot run in a
     * transaction), skipped when another instance vacuums; returns the heap pages it gave back to the
     * file system (0 when there was nothing to give back, which ends the caller's loop). {@code pages}
     * is ignored: PostgreSQL's VACUUM frees dead rows for reuse and cuts empty pages off the end.
     */
    @Override
    public WriteTask<Long> incrementalVacuum(int pages) {
        return writerTx -> {
            try (Connection c = storage.openMaintenance()) {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    lock.setLong(1, VACUUM_LOCK);
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            return 0L;
                        }
                    }
                }
                long before = heapPages(c);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM events, event_tags");
                }
                return Math.max(0, before - heapPages(c));
            }
        };
    }

    private static long heapPages(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (pg_relation_size('events') + pg_relation_size('event_tags')) / current_setting('block_size')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** No-op: PostgreSQL checkpoints on its own. */
    @Override
    public WriteTask<Void> checkpoint() {
        return conn -> null;
    }

    @Override
    public long countEvents() throws StorageException {
        try (Connection c = storage.openMaintenance(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StorageException("count failed: " + e.getMessage(), e);
        }
    }

    /** The database's size on the server ({@code pg_database_size}); 0 when it cannot be read now. */
    @Override
    public long fileBytes() {
        try (Connection c = storage.openMaintenance(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    @Override
    public WriteTask<String> getMeta(String key) {
        return conn -> RetentionSql.getMeta(conn, key);
    }

    @Override
    public WriteTask<Void> putMeta(String key, String value) {
        return conn -> {
            RetentionSql.putMeta(conn, key, value);
            return null;
        };
    }
}
