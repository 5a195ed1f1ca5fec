package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Agent sessions (SPEC §12.3). */
public class SessionsConfig {
    @DecimalMin(value = "0", inclusive = false)
    private double idleMinutes = 10;
    @Min(1)
    @Max(15)
    private int idleCheckSeconds = 15;

    /** Minutes without events after which an active session turns idle. Default 10; decimals allowed. */
    @JsonProperty
    public double getIdleMinutes() {
        return idleMinutes;
    }

    @JsonProperty
    public void setIdleMinutes(double idleMinutes) {
        this.idleMinutes = idleMinutes;
    }

    /** Seconds between two idle checks (1–15, default 15), so idleness is noticed within 15 s. */
    @JsonProperty
    public int getIdleCheckSeconds() {
        return idleCheckSeconds;
    }

    @JsonProperty
    public void setIdleCheckSeconds(int idleCheckSeconds) {
        this.idleCheckSeconds = idleCheckSeconds;
    }

    public long idleMicros() {
        return Math.round(idleMinutes * 60_000_000d);
    }
}
