package dev.argus.service.health;

import com.codahale.metrics.health.HealthCheck;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.storage.RetentionStore;

import java.time.Duration;

/**
 * Healthy when the writer runs, its last ingest commit succeeded and it can commit a small write
 * right now. Unhealthy with the reason when the writer died or is stopping, or when the last
 * ingest commit failed (e.g. the disk is full) until one succeeds again.
 */
public final class DatabaseHealthCheck extends HealthCheck {
    /** How long the probe write may wait for the writer before the check reports it as stuck. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final IngestEngine engine;
    private final RetentionStore meta;

    public DatabaseHealthCheck(IngestEngine engine, RetentionStore meta) {
        this.engine = engine;
        this.meta = meta;
    }

    @Override
    protected Result check() throws Exception {
        IngestEngine.Status status = engine.status();
        if (!status.running()) {
            return Result.builder().unhealthy().withMessage(status.problem())
                    .withDetail("writer", "stopped").build();
        }
        long started = System.nanoTime();
        engine.execute(meta.putMeta("health_probe", Long.toString(System.currentTimeMillis())), PROBE_TIMEOUT);
        long micros = (System.nanoTime() - started) / 1000;
        // Read again: the probe's own commit says nothing about ingest commits, which need more space.
        status = engine.status();
        if (status.problem() != null) {
            return Result.builder().unhealthy().withMessage(status.problem())
                    .withDetail("writer", "running").withDetail("probeCommitMicros", micros).build();
        }
        return Result.builder().healthy().withMessage("writable")
                .withDetail("probeCommitMicros", micros)
                .withDetail("lastEventId", engine.lastCommittedId()).build();
    }
}
