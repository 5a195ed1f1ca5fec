package dev.argus.service.sessions;

import dev.argus.service.config.SessionsConfig;
import dev.argus.service.core.StorageException;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns active sessions idle after {@code sessions.idleMinutes} without events (SPEC §12.3): a
 * check every {@code sessions.idleCheckSeconds} (at most 15 s) through the writer.
 */
public final class IdleDetector implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(IdleDetector.class);

    private final SessionWrites writes;
    private final long idleMicros;
    private final int intervalSeconds;
    private ScheduledExecutorService timer;

    public IdleDetector(SessionWrites writes, SessionsConfig config) {
        this.writes = writes;
        this.idleMicros = config.idleMicros();
        this.intervalSeconds = config.getIdleCheckSeconds();
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-idle-sessions");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    void check() {
        try {
            int n = writes.detectIdle(idleMicros);
            if (n > 0) {
                LOG.debug("{} sessions turned idle", n);
            }
        } catch (StorageException e) {
            LOG.warn("idle session check failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("idle session check failed", e);
        }
    }
}
