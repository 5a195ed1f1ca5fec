package dev.argus.service.tasks;

import com.codahale.metrics.health.HealthCheck;
import dev.argus.service.tasks.RetentionService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Unhealthy when the daily retention cleanup has not succeeded for longer than {@link #STALE_AFTER}
 * (a day plus two hours of slack for a DST shift and a long run); healthy before the first run is
 * due, and always when {@code retention.days} is 0.
 */
public final class RetentionHealthCheck extends HealthCheck {
    public static final Duration STALE_AFTER = Duration.ofHours(26);
    /** How late the first run may be (it starts on the runner's next one-minute tick). */
    public static final Duration FIRST_RUN_SLACK = Duration.ofHours(1);

    private final RetentionService retention;
    private final Clock clock;

    public RetentionHealthCheck(RetentionService retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    protected Result check() {
        RetentionService.Status s = retention.status();
        Instant now = clock.instant();
        ResultBuilder b = Result.builder().withDetail("schedule", s.schedule());
        if (s.lastSuccess() != null) {
            b.withDetail("lastSuccess", s.lastSuccess().toString());
        }
        if (s.lastReport() != null) {
            b.withDetail("lastDeleted", s.lastReport().deleted()).withDetail("lastMillis", s.lastReport().millis());
        }
        if (s.lastError() != null) {
            b.withDetail("lastError", s.lastError());
        }
        if (s.disabled()) {
            return b.healthy().withMessage("retention.days = 0: events are kept forever").build();
        }
        if (s.lastSuccess() != null) {
            Duration age = Duration.between(s.lastSuccess(), now);
            if (age.compareTo(STALE_AFTER) <= 0) {
                return b.healthy().withMessage("last cleanup %s", s.lastSuccess()).build();
            }
            return b.unhealthy().withMessage("last successful cleanup was %s, more than %d hours ago",
                    s.lastSuccess(), STALE_AFTER.toHours()).build();
        }
        if (s.firstDue() == null || now.isBefore(s.firstDue().plus(FIRST_RUN_SLACK))) {
            return b.healthy().withMessage("first cleanup due at %s", s.firstDue()).build();
        }
        return b.unhealthy().withMessage("no successful cleanup yet; the first was due at %s", s.firstDue()).build();
    }
}
