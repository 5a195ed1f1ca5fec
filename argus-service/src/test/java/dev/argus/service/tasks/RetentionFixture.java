package dev.argus.service.tasks;

import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.config.RetentionConfig;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StorageException;
import dev.argus.service.storage.sqlite.SqliteStorage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** A real SQLite file in a temp folder with a running writer, bulk inserts by JDBC and a clock the test moves. */
final class RetentionFixture implements AutoCloseable {
    final SqliteStorage database;
    final IngestEngine engine;
    final MetricRegistry metrics = new MetricRegistry();
    final MutableClock clock;
    private boolean started;

    RetentionFixture(Path dir, Instant now) {
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setPath(dir.resolve("events.db").toString());
        database = new SqliteStorage(cfg);
        database.migrate();
        engine = new IngestEngine(database.writer(), 100_000, metrics);
        clock = new MutableClock(now);
    }

    /** Inserts {@code n} events received at {@code receivedAt}, every fifth with two tags, in one transaction. */
    long insert(int n, Instant receivedAt, String source, String type, int dataBytes) throws SQLException {
        long micros = receivedAt.getEpochSecond() * 1_000_000L + receivedAt.getNano() / 1000;
        String data = dataBytes <= 0 ? null : "{\"pad\":\"" + "x".repeat(dataBytes) + "\"}";
        try (Connection c = DriverManager.getConnection(database.jdbcUrl())) {
            c.setAutoCommit(false);
            long first;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                rs.next();
                first = rs.getLong(1) + 1;
            }
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO events (id, source, event_type, level, message, ts,"
                    + " received_at, data, tags, session_id) VALUES (?, ?, ?, 2, ?, ?, ?, ?, ?, 's1')");
                 PreparedStatement tag = c.prepareStatement("INSERT INTO event_tags (tag, event_id) VALUES (?, ?)");
                 PreparedStatement types = c.prepareStatement("INSERT OR IGNORE INTO event_types VALUES (?, ?)")) {
                for (int i = 0; i < n; i++) {
                    long id = first + i;
                    boolean tagged = id % 5 == 0;
                    ev.setLong(1, id);
                    ev.setString(2, source);
                    ev.setString(3, type);
                    ev.setString(4, "message " + id);
                    ev.setLong(5, micros);
                    ev.setLong(6, micros);
                    ev.setString(7, data);
                    ev.setString(8, tagged ? "[\"a\",\"b\"]" : "[]");
                    ev.addBatch();
                    if (tagged) {
                        for (String t : new String[] {"a", "b"}) {
                            tag.setString(1, t);
                            tag.setLong(2, id);
                            tag.addBatch();
                        }
                    }
                    if (i % 10_000 == 9_999) {
                        ev.executeBatch();
                        tag.executeBatch();
                    }
                }
                ev.executeBatch();
                tag.executeBatch();
                types.setString(1, source);
                types.setString(2, type);
                types.executeUpdate();
            }
            c.commit();
            return first;
        }
    }

    void start() throws SQLException {
        engine.start();
        started = true;
    }

    RetentionService retention(RetentionConfig config, LongSupplier freeBytes) {
        return new RetentionService(config, new EventPurger(database.retention(), engine, metrics), engine, freeBytes, clock, metrics,
                Duration.ofHours(1), Duration.ofHours(1));
    }

    IngestResult ingest(String source, String type) throws StorageException {
        return engine.write(List.of(new NewEvent(source, type, null, "live", clock.micros(), null, List.of("a"),
                "[\"a\"]", null, null)));
    }

    long scalar(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> types() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT source || '/' || event_type FROM event_types ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (started) {
            engine.stop();
        }
    }

    /** A clock that moves only when the test says so. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        long micros() {
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
