package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** How long events are kept (SPEC §7). */
public class RetentionConfig {
    @Min(0)
    private int days = 30;

    @NotNull
    @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be HH:mm")
    private String cleanupTime = "03:00";

    @NotNull
    private String timeZone = "UTC";

    private boolean vacuumAfterCleanup = true;

    @Min(0)
    private long minFreeDiskMb = 500;

    /** Days to keep events. Default 30; 0 keeps them forever. */
    @JsonProperty
    public int getDays() {
        return days;
    }

    @JsonProperty
    public void setDays(int days) {
        this.days = days;
    }

    /** Daily cleanup time, {@code HH:mm} in {@link #getTimeZone()}. Default {@code 03:00}. */
    @JsonProperty
    public String getCleanupTime() {
        return cleanupTime;
    }

    @JsonProperty
    public void setCleanupTime(String cleanupTime) {
        this.cleanupTime = cleanupTime;
    }

    /** Time zone of {@code cleanupTime}. Default {@code UTC}. */
    @JsonProperty
    public String getTimeZone() {
        return timeZone;
    }

    @JsonProperty
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    /** Reclaim space (incremental vacuum) after each cleanup. Default true. */
    @JsonProperty
    public boolean isVacuumAfterCleanup() {
        return vacuumAfterCleanup;
    }

    @JsonProperty
    public void setVacuumAfterCleanup(boolean vacuumAfterCleanup) {
        this.vacuumAfterCleanup = vacuumAfterCleanup;
    }

    /** Free disk (MB) below which the oldest events are deleted and health turns unhealthy. Default 500; 0 disables. */
    @JsonProperty
    public long getMinFreeDiskMb() {
        return minFreeDiskMb;
    }

    @JsonProperty
    public void setMinFreeDiskMb(long minFreeDiskMb) {
        this.minFreeDiskMb = minFreeDiskMb;
    }
}
