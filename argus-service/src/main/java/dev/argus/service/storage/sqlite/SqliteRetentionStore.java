package dev.argus.service.storage.sqlite;

import dev.argus.service.core.StorageException;
import dev.argus.service.storage.RetentionStore;
import dev.argus.service.storage.WriteTask;
import dev.argus.service.storage.jdbc.RetentionSql;

import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQL of retention on SQLite: id-prefix chunk deletes, discovery pruning, incremental vacuum,
 * WAL checkpoint and the {@code argus_meta} key/value table.
 *
 * <p>Events are deleted as an id prefix: {@code received_at} is assigned by the single writer at
 * commit, so it grows with {@code id}, and "older than the cutoff" is "every id before the first
 * event received after the cutoff". That makes each chunk a range delete on the primary key (and on
 * {@code event_tags(event_id)}) with no extra index.
 */
public final class SqliteRetentionStore implements RetentionStore {
    private final SqliteStorage storage;
    private final SqliteEventWriter writer;

    SqliteRetentionStore(SqliteStorage storage, SqliteEventWriter writer) {
        this.storage = storage;
        this.writer = writer;
    }

    @Override
    public WriteTask<Chunk> deleteChunk(long cutoffMicros, int chunkRows) {
        return conn -> RetentionSql.deleteOldest(conn, cutoffMicros, chunkRows);
    }

    @Override
    public UnusedTypes scanUnusedTypes() throws StorageException {
        try (Connection read = storage.openMaintenance()) {
            return RetentionSql.scanUnusedTypes(read, "SELECT COALESCE(MAX(id), 0) FROM events");
        } catch (SQLException e) {
            throw new StorageException("could not scan event types: " + e.getMessage(), e);
        }
    }

    @Override
    public WriteTask<Integer> deleteUnusedTypes(UnusedTypes candidates) {
        return conn -> {
            int n = RetentionSql.deleteUnusedTypes(conn, candidates);
            // In the same turn of the writer: its next transaction reloads the cache of known pairs,
            // so no event can be committed against a stale cache. Should this transaction fail, the
            // writer reloads the cache from the database anyway.
            writer.forgetKnownTypes();
            return n;
        };
    }

    @Override
    public WriteTask<Long> pageSize() {
        return conn -> pragmaLong(conn, "PRAGMA page_size");
    }

    @Override
    public WriteTask<Boolean> incrementalVacuumEnabled() {
        return conn -> pragmaLong(conn, "PRAGMA auto_vacuum") == 2;
    }

    @Override
    public WriteTask<Long> incrementalVacuum(int pages) {
        return conn -> {
            long free = pragmaLong(conn, "PRAGMA freelist_count");
            if (free == 0) {
                return 0L;
            }
            try (Statement s = conn.createStatement()) {
                // executeUpdate(String) runs sqlite3_exec, which steps the pragma to the end;
                // a prepared statement would free one page per step.
                s.executeUpdate("PRAGMA incremental_vacuum(" + pages + ")");
            }
            return free - pragmaLong(conn, "PRAGMA freelist_count");
        };
    }

    /**
     * A passive WAL checkpoint, so that the database file is cut to its new size. It runs from its
     * own connection (a connection inside a transaction cannot checkpoint) but while the writer
     * holds its turn: the file is only truncated when no commit lands during the checkpoint.
     */
    @Override
    public WriteTask<Void> checkpoint() {
        return writerTx -> {
            // After any background pass that runs now: a checkpoint that met it would copy nothing.
            storage.checkpointLock().lock();
            try (Connection c = storage.openMaintenance()) {
                WalCheckpointer.passive(c);
            } finally {
                storage.checkpointLock().unlock();
            }
            return null;
        };
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

    @Override
    public long fileBytes() {
        File f = storage.path().toFile();
        return f.length();
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

    private static long pragmaLong(Connection conn, String pragma) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(pragma)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
