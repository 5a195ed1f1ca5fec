package dev.argus.service.storage.sqlite;

import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.core.Level;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.Timestamps;
import dev.argus.service.ingest.IngestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WAL starts over while commits never pause. Passive checkpoints on their own thread alone
 * never catch up with a writer that always has a request waiting: the WAL grew by every commit
 * (about 20 KB for one small event, 110 MB after 5,000 POSTs beside a 1.5 MB database), and every
 * fsync extended the file. The writer now finishes each pass between two transactions.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WalSizeTest {
    @TempDir
    Path dir;

    @Test
    void theWalStaysSmallUnderCommitsThatNeverPause() throws Exception {
        DatabaseConfig cfg = new DatabaseConfig();
        Path db = dir.resolve("events.db");
        cfg.setPath(db.toString());
        SqliteStorage storage = new SqliteStorage(cfg);
        storage.migrate();
        IngestEngine engine = new IngestEngine(storage.writer(), 10_000, Duration.ofSeconds(60), new MetricRegistry());
        engine.start();
        int threads = 3;
        int writesEach = 1_000;
        Path wal = dir.resolve("events.db-wal");
        long largestWal = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> posters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                posters.add(pool.submit(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        engine.write(List.of(new NewEvent("wal-" + thread, "t", Level.INFO, "event " + i + " of a writer that never pauses",
                                Timestamps.nowMicros(), "{\"i\":" + i + "}", List.of("wal"), "[\"wal\"]", null, null)));
                    }
                    return null;
                }));
            }
            while (!posters.stream().allMatch(Future::isDone)) {
                largestWal = Math.max(largestWal, Files.exists(wal) ? Files.size(wal) : 0);
                Thread.sleep(20);
            }
            for (Future<?> f : posters) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            engine.stop();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            assertThat(rs.getLong(1)).as("every write stored").isEqualTo((long) threads * writesEach);
        }
        // ~3,000 commits of ~20 KB each: 60 MB when the WAL never starts over; one checkpoint
        // interval (WalCheckpointer.COMMITS) is about 2 MB.
        assertThat(largestWal).as("largest WAL file seen while %d single-event commits ran", threads * writesEach)
                .isLessThan(16L * 1024 * 1024);
    }
}
