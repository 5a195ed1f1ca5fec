package dev.argus.service.tasks;

import dev.argus.service.core.IngestEngine;
import dev.argus.service.core.StorageException;
import dev.argus.service.db.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The storage side of retention: deletes events oldest-first in short chunks, prunes the
 * discovery table and reclaims free pages. Every write goes through {@link IngestEngine#execute},
 * one chunk per call, so ingest waits at most for one chunk; reads that may scan run on a separate
 * connection and never hold up the writer.
 *
 * <p>Events are deleted as an id prefix: {@code received_at} is assigned by the single writer at
 * commit, so it grows with {@code id}, and "older than the cutoff" is "every id before the first
 * event received after the cutoff". That makes each chunk a range delete on the primary key (and on
 * {@code event_tags(event_id)}) with no extra index.
 */
public final class EventPurger {
    /** What one chunk (work plus commit on the writer) should take: ingest waits at most about this long. */
    public static final long TARGET_CHUNK_NANOS = 20_000_000L;

    private final Database database;
    private final IngestEngine engine;
    private final ChunkSize rows = new ChunkSize(2_000, 200, 20_000);
    private final ChunkSize vacuumPages = new ChunkSize(500, 64, 8_000);

    private final com.codahale.metrics.Timer chunkTime;

    public EventPurger(Database database, IngestEngine engine, com.codahale.metrics.MetricRegistry metrics) {
        this.database = database;
        this.engine = engine;
        this.chunkTime = metrics.timer("argus.retention.chunk-time");
    }

    /**
     * A chunk size that follows the measured time of the previous chunk towards
     * {@link #TARGET_CHUNK_NANOS}: halves when a chunk was slow, grows by half when it was fast.
     */
    static final class ChunkSize {
        private final int min;
        private final int max;
        private volatile int current;

        ChunkSize(int initial, int min, int max) {
            this.current = initial;
            this.min = min;
            this.max = max;
        }

        int get() {
            return current;
        }

        void observe(long nanos) {
            if (nanos > TARGET_CHUNK_NANOS) {
                current = Math.max(min, current / 2);
            } else if (nanos < TARGET_CHUNK_NANOS / 2) {
                current = Math.min(max, current + current / 2);
            }
        }
    }

    /** Runs one chunk on the writer and feeds the time from its start to its commit into {@code size}. */
    private <T> T timed(ChunkSize size, dev.argus.service.core.WriteTask<T> task) throws StorageException {
        long[] started = new long[1];
        T result = engine.execute(conn -> {
            started[0] = System.nanoTime();
            return task.run(conn);
        });
        long took = System.nanoTime() - started[0];
        size.observe(took);
        chunkTime.update(took, java.util.concurrent.TimeUnit.NANOSECONDS);
        return result;
    }

    /** One chunk's outcome: rows deleted and whether older rows may remain. */
    record Chunk(int deleted, boolean more) {
    }

    /**
     * Deletes every event received before {@code cutoffMicros}, chunk by chunk.
     *
     * @param onChunk told the rows deleted after each committed chunk
     * @return rows deleted
     */
    public long deleteReceivedBefore(long cutoffMicros, LongConsumer onChunk) throws StorageException {
        long total = 0;
        while (true) {
            int n = rows.get();
            Chunk c = timed(rows, conn -> deleteChunk(conn, cutoffMicros, n));
            total += c.deleted();
            if (c.deleted() > 0) {
                onChunk.accept(c.deleted());
            }
            if (!c.more()) {
                return total;
            }
        }
    }

    /** Deletes the oldest chunk of events regardless of age; returns rows deleted (0 when the table is empty). */
    public int deleteOldestChunk() throws StorageException {
        int n = rows.get();
        return timed(rows, conn -> deleteChunk(conn, Long.MAX_VALUE, n)).deleted();
    }

    private static Chunk deleteChunk(Connection conn, long cutoffMicros, int chunkRows) throws SQLException {
        long lastOld = -1;
        int rows = 0;
        boolean reachedRecent = false;
        try (PreparedStatement s = conn.prepareStatement("SELECT id, received_at FROM events ORDER BY id LIMIT ?")) {
            s.setInt(1, chunkRows);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    if (rs.getLong(2) >= cutoffMicros) {
                        reachedRecent = true;
                        break;
                    }
                    lastOld = rs.getLong(1);
                }
            }
        }
        if (lastOld < 0) {
            return new Chunk(0, false);
        }
        try (PreparedStatement tags = conn.prepareStatement("DELETE FROM event_tags WHERE event_id <= ?");
             PreparedStatement events = conn.prepareStatement("DELETE FROM events WHERE id <= ?")) {
            tags.setLong(1, lastOld);
            tags.executeUpdate();
            events.setLong(1, lastOld);
            int deleted = events.executeUpdate();
            return new Chunk(deleted, !reachedRecent && rows == chunkRows);
        }
    }

    /**
     * Removes discovery pairs ({@code event_types}) that no longer have any event. The scan runs
     * on its own read connection; the writer then deletes each candidate only if no event of the
     * pair arrived since the scan, and reloads its cache of known pairs before its next commit.
     *
     * @return pairs removed
     */
    public int pruneEventTypes() throws StorageException {
        List<String[]> gone = new ArrayList<>();
        long scannedUpTo;
        try (Connection read = openReader()) {
            try (Statement s = read.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                rs.next();
                scannedUpTo = rs.getLong(1);
            }
            List<String[]> pairs = new ArrayList<>();
            try (Statement s = read.createStatement(); ResultSet rs = s.executeQuery("SELECT source, event_type FROM event_types")) {
                while (rs.next()) {
                    pairs.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            try (PreparedStatement exists = read.prepareStatement(
                    "SELECT 1 FROM events WHERE source = ? AND event_type = ? LIMIT 1")) {
                for (String[] p : pairs) {
                    exists.setString(1, p[0]);
                    exists.setString(2, p[1]);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (!rs.next()) {
                            gone.add(p);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StorageException("could not scan event types: " + e.getMessage(), e);
        }
        if (gone.isEmpty()) {
            return 0;
        }
        return engine.execute(conn -> {
            int n = 0;
            try (PreparedStatement recent = conn.prepareStatement(
                    "SELECT 1 FROM events WHERE source = ? AND id > ? AND event_type = ? LIMIT 1");
                 PreparedStatement delete = conn.prepareStatement(
                         "DELETE FROM event_types WHERE source = ? AND event_type = ?")) {
                for (String[] p : gone) {
                    recent.setString(1, p[0]);
                    recent.setLong(2, scannedUpTo);
                    recent.setString(3, p[1]);
                    try (ResultSet rs = recent.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                    delete.setString(1, p[0]);
                    delete.setString(2, p[1]);
                    n += delete.executeUpdate();
                }
            }
            // In the same turn of the writer: its next transaction reloads the cache of known pairs,
            // so no event can be committed against a stale cache. Should this transaction fail, the
            // writer reloads the cache from the database anyway.
            engine.forgetKnownTypes();
            return n;
        });
    }

    /** Pages and bytes given back to the file system by {@link #vacuum()}. */
    public record VacuumResult(long pages, long bytes, long fileBytesBefore, long fileBytesAfter, boolean incremental) {
    }

    /**
     * Returns free pages to the file system with {@code PRAGMA incremental_vacuum(N)} in chunks
     * (each a short write transaction, never a full {@code VACUUM}), then checkpoints the WAL
     * passively so that the database file itself is truncated.
     */
    public VacuumResult vacuum() throws StorageException {
        long before = database.path().toFile().length();
        long pageSize = engine.execute(conn -> pragmaLong(conn, "PRAGMA page_size"));
        if (engine.execute(conn -> pragmaLong(conn, "PRAGMA auto_vacuum")) != 2) {
            // A file created without auto_vacuum=INCREMENTAL: free pages are reused, never returned.
            return new VacuumResult(0, 0, before, before, false);
        }
        long pages = 0;
        while (true) {
            int chunk = vacuumPages.get();
            long freed = timed(vacuumPages, conn -> {
                long free = pragmaLong(conn, "PRAGMA freelist_count");
                if (free == 0) {
                    return 0L;
                }
                try (Statement s = conn.createStatement()) {
                    // executeUpdate(String) runs sqlite3_exec, which steps the pragma to the end;
                    // a prepared statement would free one page per step.
                    s.executeUpdate("PRAGMA incremental_vacuum(" + chunk + ")");
                }
                return free - pragmaLong(conn, "PRAGMA freelist_count");
            });
            pages += freed;
            if (freed == 0) {
                break;
            }
        }
        checkpoint();
        long after = database.path().toFile().length();
        return new VacuumResult(pages, pages * pageSize, before, after, true);
    }

    /**
     * A passive WAL checkpoint, so that the database file is cut to its new size. It runs from its
     * own connection (a connection inside a transaction cannot checkpoint) but while the writer
     * holds its turn: the file is only truncated when no commit lands during the checkpoint. The
     * writer's automatic checkpoints have already copied all but the last ~1000 pages, so this is short.
     */
    public void checkpoint() throws StorageException {
        engine.execute(writer -> {
            try (Connection c = openReader(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
            }
            return null;
        });
    }

    /** Number of stored events (a read on its own connection). */
    public long countEvents() throws StorageException {
        try (Connection c = openReader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StorageException("count failed: " + e.getMessage(), e);
        }
    }

    private Connection openReader() throws SQLException {
        Connection c = DriverManager.getConnection(database.jdbcUrl());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private static long pragmaLong(Connection conn, String pragma) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(pragma)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
