package dev.argus.service.ingest;

import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.sqlite.SqliteStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Derived state in the ingest transaction: written with the events or not at all, told to listeners after the commit. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitParticipantTest {
    @TempDir
    Path dir;
    SqliteStorage storage;
    IngestEngine engine;
    final List<String> heard = new CopyOnWriteArrayList<>();
    final AtomicBoolean failNext = new AtomicBoolean();
    final AtomicInteger rollbacks = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setPath(dir.resolve("events.db").toString());
        storage = new SqliteStorage(cfg);
        storage.migrate();
        engine = new IngestEngine(storage.writer(), 1_000, new MetricRegistry());
        // Writes one bookkeeping row per batch in the writer's transaction and reports it.
        engine.addParticipant(new CommitParticipant() {
            @Override
            public List<Object> inTransaction(Connection tx, List<StoredEvent> inserted) throws SQLException {
                String key = "derived-" + inserted.get(0).id();
                try (PreparedStatement s = tx.prepareStatement("INSERT INTO argus_meta (key, value) VALUES (?, ?)")) {
                    s.setString(1, key);
                    s.setString(2, Integer.toString(inserted.size()));
                    s.executeUpdate();
                }
                return List.of(key + "=" + inserted.size());
            }

            @Override
            public void afterRollback() {
                rollbacks.incrementAndGet();
            }
        });
        // Fails on demand, after the first participant wrote its row.
        engine.addParticipant((tx, inserted) -> {
            if (failNext.getAndSet(false)) {
                throw new SQLException("participant refused the batch");
            }
            return List.of();
        });
        engine.addListener(new CommitListener() {
            @Override
            public void committed(List<StoredEvent> events) {
                throw new AssertionError("the two-argument form is called");
            }

            @Override
            public void committed(List<StoredEvent> events, List<Object> derived) {
                heard.add(events.size() + " events, " + derived);
            }
        });
        engine.start();
    }

    @AfterEach
    void stop() throws Exception {
        engine.stop();
    }

    @Test
    void derivedRowsCommitWithTheEventsAndReachListenersAfterTheCommit() throws Exception {
        long[] ids = engine.write(IngestEngineTest.batch(3, new ArrayList<>())).ids();
        assertThat(meta("derived-" + ids[0])).isEqualTo("3");
        assertThat(count("events")).isEqualTo(3);
        // Listeners hear of a commit after its requests were answered: wait for it, with a deadline.
        awaitHeard(1);
        assertThat(heard).containsExactly("3 events, [derived-" + ids[0] + "=3]");
    }

    private void awaitHeard(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (heard.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void aParticipantThatThrowsRollsBackTheWholeBatchAnd503s() throws Exception {
        failNext.set(true);
        List<String> uuids = new ArrayList<>();
        assertThatThrownBy(() -> engine.write(IngestEngineTest.batch(4, uuids)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("participant refused the batch")
                .hasMessageEndingWith(IngestEngine.NOTHING_STORED);
        assertThat(count("events")).as("no event of the failed batch").isZero();
        assertThat(count("argus_meta WHERE key LIKE 'derived-%'")).as("nor the derived row").isZero();
        assertThat(rollbacks.get()).isEqualTo(1);
        assertThat(heard).isEmpty();
        // The writer goes on: the next batch is stored with its derived row.
        long[] ids = engine.write(IngestEngineTest.batch(2, new ArrayList<>())).ids();
        assertThat(count("events")).isEqualTo(2);
        assertThat(meta("derived-" + ids[0])).isEqualTo("2");
        awaitHeard(1);
        assertThat(heard).as("only the stored batch reached the listeners")
                .containsExactly("2 events, [derived-" + ids[0] + "=2]");
        assertThat(engine.status().problem()).isNull();
    }

    private String meta(String key) throws SQLException {
        try (Connection c = DriverManager.getConnection(storage.jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT value FROM argus_meta WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long count(String from) throws SQLException {
        try (Connection c = DriverManager.getConnection(storage.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
