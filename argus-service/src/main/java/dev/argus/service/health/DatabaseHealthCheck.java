package dev.argus.service.health;

import com.codahale.metrics.health.HealthCheck;
import dev.argus.service.core.IngestEngine;

import java.sql.PreparedStatement;

/** Healthy when the writer can commit a small write to the database right now. */
public final class DatabaseHealthCheck extends HealthCheck {
    private final IngestEngine engine;

    public DatabaseHealthCheck(IngestEngine engine) {
        this.engine = engine;
    }

    @Override
    protected Result check() throws Exception {
        long started = System.nanoTime();
        engine.execute(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO argus_meta (key, value) VALUES ('health_probe', ?) "
                            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                s.setString(1, Long.toString(System.currentTimeMillis()));
                s.executeUpdate();
            }
            return null;
        });
        long micros = (System.nanoTime() - started) / 1000;
        return Result.builder().healthy().withMessage("writable")
                .withDetail("probeCommitMicros", micros)
                .withDetail("lastEventId", engine.lastCommittedId()).build();
    }
}
