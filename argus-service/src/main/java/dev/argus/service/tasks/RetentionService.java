package dev.argus.service.tasks;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.RetentionConfig;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.core.StorageException;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Runs retention (SPEC §7): the daily cleanup at {@code cleanupTime}, the free-disk guard, and
 * on-demand cleanup and vacuum for the admin tasks. One runner thread ticks every minute and
 * compares the injected {@link Clock} with the next due time, so a missed run (server or laptop
 * asleep at cleanup time) is caught up on the next tick, and tests drive time by hand.
 */
public final class RetentionService implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);
    private static final String META_LAST_SUCCESS = "retention_last_success";
    private static final long MB = 1024L * 1024L;

    private final RetentionConfig config;
    private final CleanupSchedule schedule;
    private final EventPurger purger;
    private final IngestEngine engine;
    private final LongSupplier freeBytes;
    private final Clock clock;
    private final Duration tickInterval;
    private final Duration firstTickDelay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Meter deleted;
    private final Meter guardDeleted;
    private final Meter vacuumedPages;

    private volatile Instant lastSuccess;
    private volatile Instant firstDue;
    private volatile Instant nextDue;
    private volatile String lastError;
    private volatile CleanupReport lastReport;
    private volatile long lastDurationMillis = -1;
    private volatile boolean belowFreeDisk;
    private ScheduledExecutorService runner;

    public RetentionService(RetentionConfig config, EventPurger purger, IngestEngine engine, LongSupplier freeBytes,
                            Clock clock, MetricRegistry metrics, Duration tickInterval, Duration firstTickDelay) {
        this.config = config;
        this.schedule = new CleanupSchedule(config.getCleanupTime(), config.getTimeZone());
        this.purger = purger;
        this.engine = engine;
        this.freeBytes = freeBytes;
        this.clock = clock;
        this.tickInterval = tickInterval;
        this.firstTickDelay = firstTickDelay;
        this.deleted = metrics.meter("argus.retention.deleted-events");
        this.guardDeleted = metrics.meter("argus.retention.disk-guard-deleted-events");
        this.vacuumedPages = metrics.meter("argus.retention.vacuumed-pages");
        metrics.gauge("argus.retention.last-cleanup-millis", () -> () -> lastDurationMillis);
        metrics.gauge("argus.retention.last-success-epoch-millis",
                () -> () -> lastSuccess == null ? -1L : lastSuccess.toEpochMilli());
        metrics.gauge("argus.retention.below-min-free-disk", () -> () -> belowFreeDisk ? 1 : 0);
    }

    /** What one cleanup did. */
    public record CleanupReport(long deleted, Instant cutoff, int prunedTypes, EventPurger.VacuumResult vacuum,
                                long millis) {
    }

    /** What one guard check did. */
    public record GuardReport(long freeMbBefore, long freeMbAfter, long deleted, boolean below) {
    }

    /** A snapshot for the health check. */
    public record Status(Instant lastSuccess, Instant firstDue, String lastError, CleanupReport lastReport,
                         boolean disabled, String schedule) {
    }

    @Override
    public void start() throws StorageException {
        String stored = engine.execute(purger.store().getMeta(META_LAST_SUCCESS));
        lastSuccess = stored == null ? null : Instant.ofEpochMilli(Long.parseLong(stored));
        Instant now = clock.instant();
        // Due at the first slot after the last run; a slot missed while stopped is due at once.
        Instant due = lastSuccess == null ? now : schedule.nextAfter(lastSuccess);
        nextDue = due.isBefore(now) ? now : due;
        firstDue = nextDue;
        runner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-retention");
            t.setDaemon(true);
            return t;
        });
        runner.scheduleWithFixedDelay(this::tickQuietly, firstTickDelay.toMillis(), tickInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (runner != null) {
            runner.shutdownNow();
            runner.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("retention tick failed", e);
        }
    }

    /** Runs the daily cleanup when due, then the free-disk guard. Called every minute by the runner thread. */
    public void tick() {
        Instant due = nextDue;
        if (due != null && !clock.instant().isBefore(due)) {
            try {
                CleanupReport r = runCleanup();
                LOG.info("retention: deleted {} events received before {} in {} ms", r.deleted(), r.cutoff(), r.millis());
            } catch (StorageException | RuntimeException e) {
                LOG.error("retention cleanup failed; retrying at the next tick", e);
            }
        }
        try {
            runGuard();
        } catch (StorageException | RuntimeException e) {
            LOG.error("free-disk guard failed", e);
        }
    }

    /** Deletes events older than {@code retention.days} now (and vacuums when configured). */
    public CleanupReport runCleanup() throws StorageException {
        lock.lock();
        try {
            long started = System.nanoTime();
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            try {
                long n = 0;
                Instant cutoff = null;
                int pruned = 0;
                EventPurger.VacuumResult vacuum = null;
                if (config.getDays() > 0) {
                    cutoff = now.minus(Duration.ofDays(config.getDays()));
                    long cutoffMicros = Math.multiplyExact(cutoff.getEpochSecond(), 1_000_000L) + cutoff.getNano() / 1000;
                    n = purger.deleteReceivedBefore(cutoffMicros, deleted::mark);
                    if (n > 0) {
                        pruned = purger.pruneEventTypes();
                    }
                    if (config.isVacuumAfterCleanup()) {
                        vacuum = purger.vacuum();
                        vacuumedPages.mark(vacuum.pages());
                    }
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                CleanupReport report = new CleanupReport(n, cutoff, pruned, vacuum, millis);
                recordSuccess(now, report);
                return report;
            } catch (StorageException | RuntimeException e) {
                lastError = now + ": " + e.getMessage();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void recordSuccess(Instant now, CleanupReport report) throws StorageException {
        engine.execute(purger.store().putMeta(META_LAST_SUCCESS, Long.toString(now.toEpochMilli())));
        lastSuccess = now;
        lastReport = report;
        lastDurationMillis = report.millis();
        lastError = null;
        nextDue = schedule.nextAfter(now);
    }

    /**
     * When free disk is below {@code retention.minFreeDiskMb}, deletes the oldest events chunk by
     * chunk (reclaiming their pages after each) until it is met or no event is left.
     */
    public GuardReport runGuard() throws StorageException {
        long min = config.getMinFreeDiskMb();
        if (min <= 0) {
            belowFreeDisk = false;
            return new GuardReport(-1, -1, 0, false);
        }
        lock.lock();
        try {
            long before = freeBytes.getAsLong();
            long free = before;
            long n = 0;
            if (free < min * MB) {
                LOG.warn("free disk {} MB is below retention.minFreeDiskMb = {} MB: deleting the oldest events",
                        free / MB, min);
            }
            while (free < min * MB) {
                int chunk = purger.deleteOldestChunk();
                if (chunk == 0) {
                    break;
                }
                n += chunk;
                guardDeleted.mark(chunk);
                deleted.mark(chunk);
                vacuumedPages.mark(purger.vacuum().pages());
                free = freeBytes.getAsLong();
            }
            if (n > 0) {
                purger.pruneEventTypes();
                LOG.warn("free-disk guard deleted {} events; free disk now {} MB", n, free / MB);
            }
            belowFreeDisk = free < min * MB;
            return new GuardReport(before / MB, free / MB, n, belowFreeDisk);
        } finally {
            lock.unlock();
        }
    }

    /** Reclaims free pages now (incremental vacuum in chunks). */
    public EventPurger.VacuumResult vacuum() throws StorageException {
        lock.lock();
        try {
            EventPurger.VacuumResult r = purger.vacuum();
            vacuumedPages.mark(r.pages());
            return r;
        } finally {
            lock.unlock();
        }
    }

    public Status status() {
        return new Status(lastSuccess, firstDue, lastError, lastReport, config.getDays() == 0, schedule.toString());
    }

    public Clock clock() {
        return clock;
    }
}
