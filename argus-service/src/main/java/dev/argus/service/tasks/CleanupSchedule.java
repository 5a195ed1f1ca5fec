package dev.argus.service.tasks;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** When the daily cleanup runs: {@code retention.cleanupTime} in {@code retention.timeZone}. */
public final class CleanupSchedule {
    private final LocalTime time;
    private final ZoneId zone;

    public CleanupSchedule(String cleanupTime, String timeZone) {
        this.time = LocalTime.parse(cleanupTime);
        this.zone = ZoneId.of(timeZone);
    }

    /** The first cleanup time strictly after {@code now} (a skipped local time moves forward with the DST gap). */
    public Instant nextAfter(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime candidate = local.toLocalDate().atTime(time).atZone(zone);
        if (!candidate.toInstant().isAfter(now)) {
            candidate = local.toLocalDate().plusDays(1).atTime(time).atZone(zone);
        }
        return candidate.toInstant();
    }

    @Override
    public String toString() {
        return time + " " + zone;
    }
}
