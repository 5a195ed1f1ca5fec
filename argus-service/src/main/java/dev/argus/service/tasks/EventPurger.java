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
    /** Rows per delete chunk: measured at ~20–40 ms per chunk here (see docs/operations.md). */
    public static final int DEFAULT_CHUNK_ROWS = 5_000;
    /** Pages per incremental-vacuum chunk (4 KB pages: 8 MB). */
    public static final int DEFAULT_VACUUM_PAGES = 2_000;

    private final Database database;
    private final IngestEngine engine;
    private final int chunkRows;
    private final int vacuumPages;

    public EventPurger(Database database, IngestEngine engine, int chunkRows, int vacuumPages) {
        this.database = database;
        this.engine = engine;
        this.chunkRows = chunkRows;
        this.vacuumPages = vacuumPages;
    }

    public EventPurger(Database database, IngestEngine engine) {
        this(database, engine, DEFAULT_CHUNK_ROWS, DEFAULT_VACUUM_PAGES);
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
            Chunk c = engine.execute(conn -> deleteChunk(conn, cutoffMicros));
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
        return engine.execute(conn -> deleteChunk(conn, Long.MAX_VALUE)).deleted();
    }

    private Chunk deleteChunk(Connection conn, long cutoffMicros) throws SQLException {
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
     * pair arrived since the scan, and afterwards the engine reloads its cache of known pairs.
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
        long[] deletedAt = new long[1];
        int removed = engine.execute(conn -> {
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
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                rs.next();
                deletedAt[0] = rs.getLong(1);
            }
            return n;
        });
        engine.forgetKnownTypes();
        // An event committed between the delete and the cache reload was skipped by the engine's
        // cache of known pairs; put its pair back (a short id-range scan of recent events only).
        engine.execute(conn -> {
            try (PreparedStatement s = conn.prepareStatement(
                    "INSERT OR IGNORE INTO event_types (source, event_type) "
                            + "SELECT DISTINCT source, event_type FROM events WHERE id > ?")) {
                s.setLong(1, deletedAt[0]);
                return s.executeUpdate();
            }
        });
        return removed;
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
            long freed = engine.execute(conn -> {
                long free = pragmaLong(conn, "PRAGMA freelist_count");
                if (free == 0) {
                    return 0L;
                }
                try (Statement s = conn.createStatement()) {
                    // executeUpdate(String) runs sqlite3_exec, which steps the pragma to the end;
                    // a prepared statement would free one page per step.
                    s.executeUpdate("PRAGMA incremental_vacuum(" + vacuumPages + ")");
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

    /** A passive WAL checkpoint from its own connection: never waits for readers or the writer. */
    public void checkpoint() throws StorageException {
        try (Connection c = openReader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        } catch (SQLException e) {
            throw new StorageException("checkpoint failed: " + e.getMessage(), e);
        }
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
