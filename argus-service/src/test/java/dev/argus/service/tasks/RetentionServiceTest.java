package dev.argus.service.tasks;

import com.codahale.metrics.health.HealthCheck;
import dev.argus.service.config.RetentionConfig;
import dev.argus.service.health.DiskSpaceHealthCheck;
import dev.argus.service.tasks.RetentionHealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionServiceTest {
    private static final long MB = 1024L * 1024L;

    @TempDir
    Path dir;

    private static RetentionConfig config(int days, boolean vacuum, long minFreeMb) {
        RetentionConfig c = new RetentionConfig();
        c.setDays(days);
        c.setVacuumAfterCleanup(vacuum);
        c.setMinFreeDiskMb(minFreeMb);
        return c;
    }

    @Test
    void deletesEventsReceivedBeforeTheCutoffAndKeepsRecentOnes() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.insert(12_345, now.minus(Duration.ofDays(40)), "old-tool", "build", 0);
            f.insert(2_000, now.minus(Duration.ofDays(31)), "both", "log", 0);
            long firstRecent = f.insert(3_000, now.minus(Duration.ofDays(29)), "both", "log", 0);
            f.start();
            RetentionService r = f.retention(config(30, true, 0), () -> Long.MAX_VALUE);
            r.start();
            try {
                RetentionService.CleanupReport report = r.runCleanup();

                assertThat(report.deleted()).isEqualTo(14_345);
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).isEqualTo(3_000);
                assertThat(f.scalar("SELECT MIN(id) FROM events")).isEqualTo(firstRecent);
                assertThat(f.scalar("SELECT COUNT(*) FROM event_tags WHERE event_id < " + firstRecent)).isZero();
                assertThat(f.scalar("SELECT COUNT(*) FROM event_tags")).isEqualTo(2 * 600);
                assertThat(report.prunedTypes()).isEqualTo(1);
                assertThat(f.types()).containsExactly("both/log");
                assertThat(f.metrics.meter("argus.retention.deleted-events").getCount()).isEqualTo(14_345);

                // A pruned pair comes back to discovery as soon as it has an event again.
                f.ingest("old-tool", "build");
                assertThat(f.types()).containsExactly("both/log", "old-tool/build");

                // A second run finds nothing older.
                assertThat(r.runCleanup().deleted()).isZero();
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void runsDailyAtCleanupTimeInItsTimeZoneAndCatchesUpAMissedRun() throws Exception {
        Instant now = Instant.parse("2026-03-10T01:30:00Z"); // 02:30 in Europe/Berlin
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.insert(100, now.minus(Duration.ofDays(3)), "t", "e", 0);
            f.insert(100, now.minus(Duration.ofHours(1)), "t", "e", 0);
            try (Connection c = DriverManager.getConnection(f.database.jdbcUrl()); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO argus_meta VALUES ('retention_last_success', '"
                        + Instant.parse("2026-03-09T02:00:00Z").toEpochMilli() + "')");
            }
            f.start();
            RetentionConfig cfg = config(2, false, 0);
            cfg.setCleanupTime("03:00");
            cfg.setTimeZone("Europe/Berlin");
            RetentionService r = f.retention(cfg, () -> Long.MAX_VALUE);
            r.start();
            try {
                RetentionHealthCheck health = new RetentionHealthCheck(r, f.clock);
                assertThat(health.execute().isHealthy()).isTrue();

                r.tick();
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).as("not due before 03:00 Berlin").isEqualTo(200);

                f.clock.set(Instant.parse("2026-03-10T02:00:00Z"));
                r.tick();
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).isEqualTo(100);
                assertThat(r.status().lastSuccess()).isEqualTo(Instant.parse("2026-03-10T02:00:00Z"));

                // The process sleeps through two cleanup times: stale, then one tick catches up.
                f.clock.set(Instant.parse("2026-03-12T05:00:00Z"));
                HealthCheck.Result stale = health.execute();
                assertThat(stale.isHealthy()).isFalse();
                assertThat(stale.getMessage()).contains("more than 26 hours ago");
                r.tick();
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).isZero();
                assertThat(health.execute().isHealthy()).isTrue();
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void healthyBeforeTheFirstRunIsDueAndUnhealthyWhenItNeverSucceeds() throws Exception {
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.start();
            RetentionService r = f.retention(config(30, false, 0), () -> Long.MAX_VALUE);
            r.start();
            try {
                RetentionHealthCheck health = new RetentionHealthCheck(r, f.clock);
                assertThat(health.execute().isHealthy()).isTrue();
                f.clock.advance(Duration.ofMinutes(59));
                assertThat(health.execute().isHealthy()).isTrue();
                f.clock.advance(Duration.ofMinutes(2));
                assertThat(health.execute().isHealthy()).isFalse();
                assertThat(health.execute().getMessage()).contains("no successful cleanup yet");
                r.runCleanup();
                assertThat(health.execute().isHealthy()).isTrue();
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void daysZeroKeepsEverything() throws Exception {
        Instant now = Instant.now();
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.insert(500, now.minus(Duration.ofDays(4000)), "t", "e", 0);
            f.start();
            RetentionService r = f.retention(config(0, true, 0), () -> Long.MAX_VALUE);
            r.start();
            try {
                assertThat(r.runCleanup().deleted()).isZero();
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).isEqualTo(500);
                f.clock.advance(Duration.ofDays(10));
                HealthCheck.Result h = new RetentionHealthCheck(r, f.clock).execute();
                assertThat(h.isHealthy()).isTrue();
                assertThat(h.getMessage()).contains("kept forever");
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void vacuumGivesFreedPagesBackAndTheFileShrinks() throws Exception {
        Instant now = Instant.now();
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.insert(40_000, now.minus(Duration.ofDays(60)), "t", "e", 300);
            f.insert(1_000, now, "t", "e", 300);
            f.start();
            RetentionService r = f.retention(config(30, false, 0), () -> Long.MAX_VALUE);
            r.start();
            try {
                assertThat(r.runCleanup().deleted()).isEqualTo(40_000);
                new EventPurger(f.database.retention(), f.engine, f.metrics).checkpoint();
                long before = Files.size(f.database.path());
                long freePages = f.scalar("PRAGMA freelist_count");
                assertThat(freePages).isGreaterThan(1000);

                EventPurger.VacuumResult v = r.vacuum();

                long after = Files.size(f.database.path());
                assertThat(v.pages()).isEqualTo(freePages);
                assertThat(v.bytes()).isEqualTo(freePages * f.scalar("PRAGMA page_size"));
                assertThat(f.scalar("PRAGMA freelist_count")).isZero();
                assertThat(after).isLessThan(before / 5);
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).isEqualTo(1_000);
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void diskGuardDeletesOldestEventsUntilFreeSpaceIsMet() throws Exception {
        Instant now = Instant.now();
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.insert(20_000, now, "t", "e", 0);
            f.start();
            EventPurger purger = new EventPurger(f.database.retention(), f.engine, f.metrics);
            // Free space "appears" once at most 6,000 events are left.
            RetentionService r = f.retention(config(30, true, 500), () -> {
                try {
                    return purger.countEvents() <= 6_000 ? 1000 * MB : 10 * MB;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            r.start();
            try {
                RetentionService.GuardReport g = r.runGuard();
                long left = f.scalar("SELECT COUNT(*) FROM events");
                assertThat(g.below()).isFalse();
                assertThat(left).isLessThanOrEqualTo(6_000).isPositive();
                assertThat(g.deleted()).isEqualTo(20_000 - left);
                // Oldest first: what is left is the newest block.
                assertThat(f.scalar("SELECT MIN(id) FROM events")).isEqualTo(20_001 - left);
                assertThat(f.metrics.meter("argus.retention.disk-guard-deleted-events").getCount()).isEqualTo(g.deleted());

                // Enough free space now: the next check deletes nothing.
                assertThat(r.runGuard().deleted()).isZero();
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void diskGuardWithAThresholdAboveFreeSpaceEmptiesTheTableAndHealthTurnsUnhealthy() throws Exception {
        Instant now = Instant.now();
        try (RetentionFixture f = new RetentionFixture(dir, now)) {
            f.insert(12_000, now, "t", "e", 0);
            f.start();
            long freeMb = Files.getFileStore(dir).getUsableSpace() / MB;
            long min = freeMb + 1_000_000;
            RetentionService r = f.retention(config(30, true, min), () -> {
                try {
                    return Files.getFileStore(dir).getUsableSpace();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            r.start();
            try {
                RetentionService.GuardReport g = r.runGuard();
                assertThat(g.deleted()).isEqualTo(12_000);
                assertThat(g.below()).isTrue();
                assertThat(f.scalar("SELECT COUNT(*) FROM events")).isZero();
                assertThat(f.types()).isEmpty();
                HealthCheck.Result disk = new DiskSpaceHealthCheck(dir, min).execute();
                assertThat(disk.isHealthy()).isFalse();
                assertThat(f.metrics.getGauges().get("argus.retention.below-min-free-disk").getValue()).isEqualTo(1);
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void scheduleFindsTheNextCleanupTimeInTheConfiguredZone() {
        CleanupSchedule s = new CleanupSchedule("03:00", "America/New_York");
        assertThat(s.nextAfter(Instant.parse("2026-06-01T06:59:00Z"))).isEqualTo(Instant.parse("2026-06-01T07:00:00Z"));
        assertThat(s.nextAfter(Instant.parse("2026-06-01T07:00:00Z"))).isEqualTo(Instant.parse("2026-06-02T07:00:00Z"));
        assertThat(s.nextAfter(Instant.parse("2026-12-01T07:30:00Z"))).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
    }
}
