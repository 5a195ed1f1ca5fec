package dev.argus.service.storage.jdbc;

import dev.argus.service.storage.RetentionStore.Chunk;
import dev.argus.service.storage.RetentionStore.UnusedType;
import dev.argus.service.storage.RetentionStore.UnusedTypes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The retention statements both dialects share: chunked deletes of the oldest events, discovery pruning. */
public final class RetentionSql {
    private RetentionSql() {
    }

    /**
     * Deletes the oldest events received before {@code cutoffMicros}, at most {@code chunkRows}
     * (an id prefix: {@code received_at} grows with {@code id}), with their tags.
     */
    public static Chunk deleteOldest(Connection conn, long cutoffMicros, int chunkRows) throws SQLException {
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
     * The discovery pairs without any event, read on {@code read}; {@code newestIdSql} gives the
     * newest event id the scan covers.
     */
    public static UnusedTypes scanUnusedTypes(Connection read, String newestIdSql) throws SQLException {
        long scannedUpTo;
        try (Statement s = read.createStatement(); ResultSet rs = s.executeQuery(newestIdSql)) {
            rs.next();
            scannedUpTo = rs.getLong(1);
        }
        List<UnusedType> pairs = new ArrayList<>();
        try (Statement s = read.createStatement(); ResultSet rs = s.executeQuery("SELECT source, event_type FROM event_types")) {
            while (rs.next()) {
                pairs.add(new UnusedType(rs.getString(1), rs.getString(2)));
            }
        }
        List<UnusedType> gone = new ArrayList<>();
        try (PreparedStatement exists = read.prepareStatement(
                "SELECT 1 FROM events WHERE source = ? AND event_type = ? LIMIT 1")) {
            for (UnusedType p : pairs) {
                exists.setString(1, p.source());
                exists.setString(2, p.eventType());
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        gone.add(p);
                    }
                }
            }
        }
        return new UnusedTypes(gone, scannedUpTo);
    }

    /** Deletes the candidates that still have no event newer than the scan; returns how many. */
    public static int deleteUnusedTypes(Connection conn, UnusedTypes candidates) throws SQLException {
        int n = 0;
        try (PreparedStatement recent = conn.prepareStatement(
                "SELECT 1 FROM events WHERE source = ? AND id > ? AND event_type = ? LIMIT 1");
             PreparedStatement delete = conn.prepareStatement(
                     "DELETE FROM event_types WHERE source = ? AND event_type = ?")) {
            for (UnusedType p : candidates.pairs()) {
                recent.setString(1, p.source());
                recent.setLong(2, candidates.scannedUpTo());
                recent.setString(3, p.eventType());
                try (ResultSet rs = recent.executeQuery()) {
                    if (rs.next()) {
                        continue;
                    }
                }
                delete.setString(1, p.source());
                delete.setString(2, p.eventType());
                n += delete.executeUpdate();
            }
        }
        return n;
    }

    /** A value of the {@code argus_meta} bookkeeping, or null. */
    public static String getMeta(Connection conn, String key) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement("SELECT value FROM argus_meta WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Sets a value of the {@code argus_meta} bookkeeping. */
    public static void putMeta(Connection conn, String key, String value) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement("INSERT INTO argus_meta (key, value) VALUES (?, ?) "
                + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            s.setString(1, key);
            s.setString(2, value);
            s.executeUpdate();
        }
    }
}
