package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.storage.sqlite.SqliteStorage;
import dev.argus.service.tasks.EventPurger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer on a real SQLite file, without HTTP: every request is answered (stop races, a stuck
 * or dead writer), and a failed transaction leaves nothing behind and a usable connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IngestEngineTest {
    @TempDir
    Path dir;
    SqliteStorage database;
    IngestEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = newEngine(Duration.ofSeconds(60));
        engine.start();
    }

    private IngestEngine newEngine(Duration writeTimeout) {
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setPath(dir.resolve("events.db").toString());
        database = new SqliteStorage(cfg);
        database.migrate();
        return new IngestEngine(database.writer(), 100_000, writeTimeout, new MetricRegistry());
    }

    @AfterEach
    void stop() throws Exception {
        engine.stop();
    }

    static NewEvent event(String uuid) {
        return new NewEvent("engine-test", "t", null, "m " + uuid, Timestamps.nowMicros(), null, List.of("a"),
                "[\"a\"]", null, uuid);
    }

    static List<NewEvent> batch(int n, List<String> uuids) {
        List<NewEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String u = UUID.randomUUID().toString();
            uuids.add(u);
            out.add(event(u));
        }
        return out;
    }

    long count(String where) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events" + (where == null ? "" : " WHERE " + where))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long storedOf(List<String> uuids) throws SQLException {
        long n = 0;
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM events WHERE uuid = ?")) {
            for (String u : uuids) {
                s.setString(1, u);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
        }
        return n;
    }

    @Test
    void oneCommitMixingEventsWithAndWithoutAgentFieldsKeepsOrderFieldsAndDuplicates() throws Exception {
        String stored = UUID.randomUUID().toString();
        engine.write(List.of(event(stored)));
        AgentFields agent = AgentFields.of("PreToolUse", "Bash", "tu-1", null, "pending", Boolean.TRUE, null);
        NewEvent withAgent = new NewEvent("engine-test", "hook", null, "agent", Timestamps.nowMicros(), null,
                List.of(), "[]", "s-1", null, agent);
        String fresh = UUID.randomUUID().toString();
        List<NewEvent> mixed = List.of(event(null), withAgent, event(stored), event(fresh), withAgent, event(fresh));

        IngestResult r = engine.write(mixed);

        long[] ids = r.ids();
        assertThat(r.duplicate()).containsExactly(false, false, true, false, false, true);
        assertThat(ids[0]).isLessThan(ids[1]);
        assertThat(ids[1]).isLessThan(ids[3]);
        assertThat(ids[3]).isLessThan(ids[4]);
        assertThat(ids[5]).isEqualTo(ids[3]);
        assertThat(count("hook = 'PreToolUse' AND tool_name = 'Bash' AND is_background = 1 AND status = 'pending'"))
                .isEqualTo(2);
        assertThat(count("id IN (" + ids[0] + ", " + ids[3] + ") AND hook IS NULL AND tool_name IS NULL")).isEqualTo(2);
        assertThat(storedOf(List.of(stored, fresh))).isEqualTo(2);
        assertThat(count(null)).isEqualTo(5);
    }

    @Test
    void theWalIsCheckpointedInTheBackgroundWhileTheWriterCommits() throws Exception {
        // The writer connection does not checkpoint inside its commits (wal_autocheckpoint = 0):
        // commits only append to the WAL, so the database file grows only when a checkpoint runs.
        Path file = dir.resolve("events.db");
        long before = java.nio.file.Files.size(file);
        for (int i = 0; i < 3 * 100; i++) {
            engine.write(List.of(event(null)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (java.nio.file.Files.size(file) == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(java.nio.file.Files.size(file)).as("database file after 300 commits").isGreaterThan(before);
    }

    @Test
    void writesRacingStopAreEachAnsweredAndAnsweredMeansStored() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch going = new CountDownLatch(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                going.countDown();
                for (int i = 0; i < 400; i++) {
                    String u = UUID.randomUUID().toString();
                    try {
                        engine.write(List.of(event(u)));
                        acknowledged.add(u);
                    } catch (StorageException e) {
                        refused.add(u);
                        assertThat(e.getMessage()).contains("shutting down").contains("nothing of this request was stored");
                    }
                    answered.incrementAndGet();
                }
                return null;
            }));
        }
        going.await();
        while (acknowledged.size() < 200) {
            Thread.onSpinWait();
        }
        engine.stop();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);   // a request that was never answered would hang here
        }
        pool.shutdown();
        assertThat(answered.get()).isEqualTo(threads * 400);
        assertThat(refused).as("some writes arrived after stop").isNotEmpty();
        assertThat(storedOf(List.copyOf(acknowledged))).isEqualTo(acknowledged.size());
        assertThat(storedOf(List.copyOf(refused))).isZero();
        assertThat(count(null)).isEqualTo(acknowledged.size());
        assertThat(engine.status().running()).isFalse();
    }

    @Test
    void aCallerStopsWaitingAfterTheWriteTimeoutAndItsEventIsNeverStored() throws Exception {
        engine.stop();
        engine = newEngine(Duration.ofSeconds(1));
        engine.start();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Object> stuck = pool.submit(() -> engine.execute(c -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, Duration.ofSeconds(60)));
        // The task holds the writer; a write behind it gives up after about a second.
        Thread.sleep(100);
        String u = UUID.randomUUID().toString();
        long started = System.nanoTime();
        assertThatThrownBy(() -> engine.write(List.of(event(u))))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("storage too slow").hasMessageContaining("nothing of this request was stored");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        release.countDown();
        assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(StorageException.class);
        pool.shutdown();
        // The writer skips the abandoned request: it is never stored, and the writer goes on.
        String after = UUID.randomUUID().toString();
        engine.write(List.of(event(after)));
        assertThat(storedOf(List.of(u))).isZero();
        assertThat(storedOf(List.of(after))).isEqualTo(1);
    }

    @Test
    void anErrorInsideATaskFailsThatTaskOnlyAndTheWriterGoesOn() throws Exception {
        assertThatThrownBy(() -> engine.execute(c -> {
            c.createStatement().execute("DELETE FROM argus_meta");
            throw new StackOverflowError("injected");
        })).isInstanceOf(StorageException.class).hasMessageContaining("internal error in the writer");
        List<String> uuids = new ArrayList<>();
        engine.write(batch(5, uuids));
        assertThat(storedOf(uuids)).isEqualTo(5);
        assertThat(engine.status().problem()).isNull();
    }

    @Test
    void aDeadWriterAnswersEveryWaitingAndEveryLaterRequestAtOnce() throws Exception {
        CountDownLatch inHand = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        engine.injectFaults(new WriterFaults() {
            @Override
            public void taken(int requests) {
                inHand.countDown();
                try {
                    die.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new OutOfMemoryError("injected writer death");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> waiting = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<NewEvent> b = batch(3, uuids);
            waiting.add(pool.submit(() -> engine.write(b)));
            if (i == 0) {
                assertThat(inHand.await(30, TimeUnit.SECONDS)).isTrue();   // one in the writer's hands, three queued
            }
        }
        die.countDown();
        for (Future<?> f : waiting) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class)
                    .hasMessageContaining("storage unavailable: the writer stopped after an internal error");
        }
        pool.shutdown();
        long started = System.nanoTime();
        assertThatThrownBy(() -> engine.write(List.of(event(UUID.randomUUID().toString()))))
                .isInstanceOf(StorageException.class).hasMessageContaining("restart the server");
        assertThatThrownBy(() -> engine.execute(c -> null)).isInstanceOf(StorageException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(engine.status().running()).isFalse();
        assertThat(engine.status().problem()).contains("OutOfMemoryError: injected writer death");
        assertThat(storedOf(uuids)).isZero();
    }

    @Test
    void aTransactionSqliteRolledBackItselfIsAnswered503AndLaterWritesCommitNormally() throws Exception {
        // What SQLITE_FULL / SQLITE_IOERR do: SQLite ends the transaction itself, then reports the error.
        AtomicBoolean armed = new AtomicBoolean(true);
        engine.injectFaults(new WriterFaults() {
            @Override
            public void beforeCommit(Connection c, int events) throws SQLException {
                if (events > 0 && armed.getAndSet(false)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                    throw new SQLiteException("[SQLITE_IOERR_WRITE] disk I/O error", SQLiteErrorCode.SQLITE_IOERR_WRITE);
                }
            }
        });
        List<String> failed = new ArrayList<>();
        assertThatThrownBy(() -> engine.write(batch(10, failed)))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("storage I/O error: the database file " + database.path())
                .hasMessageContaining("disk I/O error").hasMessageEndingWith("nothing of this request was stored");
        assertThat(engine.status().problem()).contains("the last ingest commit failed").contains("storage I/O error");
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            IngestResult r = engine.write(batch(4, later));
            assertThat(r.ids()).hasSize(4);
        }
        engine.write(List.of(event(failed.get(0))));   // a retry of a refused event is stored, as new
        assertThat(storedOf(later)).isEqualTo(20);
        assertThat(storedOf(failed)).isEqualTo(1);
        assertThat(count(null)).isEqualTo(21);
        assertThat(engine.status().problem()).isNull();
    }

    @Test
    void aCommitThatReachedTheFileButReportedFailureIsRemovedBeforeTheAnswer() throws Exception {
        AtomicBoolean armed = new AtomicBoolean(false);
        engine.injectFaults(new WriterFaults() {
            @Override
            public void beforeCommit(Connection c, int events) throws SQLException {
                if (events > 0 && armed.getAndSet(false)) {
                    c.commit();
                    throw new SQLiteException("[SQLITE_IOERR_FSYNC] disk I/O error", SQLiteErrorCode.SQLITE_IOERR_FSYNC);
                }
            }
        });
        List<String> before = new ArrayList<>();
        long lastBefore = engine.write(batch(3, before)).ids()[2];
        armed.set(true);
        List<String> failed = new ArrayList<>();
        assertThatThrownBy(() -> engine.write(batch(7, failed))).isInstanceOf(StorageException.class);
        assertThat(storedOf(failed)).as("answered 503, so nothing of it may stay").isZero();
        assertThat(count("id > " + lastBefore)).isZero();
        List<String> later = new ArrayList<>();
        long[] ids = engine.write(batch(2, later)).ids();
        assertThat(ids[0]).isGreaterThan(lastBefore);
        assertThat(storedOf(before)).isEqualTo(3);
        assertThat(storedOf(later)).isEqualTo(2);
    }

    @Test
    void aFailedRetentionChunkDeletesNothingAndTheNextRunWorks() throws Exception {
        List<String> uuids = new ArrayList<>();
        engine.write(batch(50, uuids));
        EventPurger purger = new EventPurger(database.retention(), engine, new MetricRegistry());
        engine.injectFaults(new WriterFaults() {
            @Override
            public void beforeCommit(Connection c, int events) throws SQLException {
                if (events == 0) {
                    throw new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL);
                }
            }
        });
        assertThatThrownBy(() -> purger.deleteReceivedBefore(Long.MAX_VALUE, n -> { }))
                .isInstanceOf(StorageException.class).hasMessageStartingWith("storage full");
        assertThat(count(null)).isEqualTo(50);
        assertThatThrownBy(purger::vacuum).isInstanceOf(StorageException.class);
        engine.injectFaults(WriterFaults.NONE);
        assertThat(purger.deleteReceivedBefore(Long.MAX_VALUE, n -> { })).isEqualTo(50);
        assertThat(count(null)).isZero();
        assertThat(purger.pruneEventTypes()).isEqualTo(1);
        // The cache of known pairs followed the prune: a new event of the pair brings it back.
        engine.write(batch(1, uuids));
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM event_types")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void aPageCapMakesTheStoreFullAndRaisingItLetsIngestResume() throws Exception {
        long pages;
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
        }
        database.setMaxPageCount(pages + 20);
        List<String> acknowledged = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        StorageException full = null;
        for (int i = 0; i < 200 && full == null; i++) {
            List<String> mine = new ArrayList<>();
            try {
                engine.write(batch(10, mine));
                acknowledged.addAll(mine);
            } catch (StorageException e) {
                refused.addAll(mine);
                full = e;
            }
        }
        assertThat(full).as("the cap was reached").isNotNull();
        assertThat(full.getMessage()).startsWith("storage full: the database reached database.maxPageCount = " + (pages + 20))
                .endsWith("nothing of this request was stored");
        assertThat(storedOf(acknowledged)).isEqualTo(acknowledged.size());
        assertThat(storedOf(refused)).isZero();
        database.setMaxPageCount(0);
        List<String> later = new ArrayList<>();
        engine.write(batch(10, later));
        assertThat(storedOf(later)).isEqualTo(10);
    }
}
