package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Request size limits (KB = 1024 bytes). */
public class LimitsConfig {
    @Min(1)
    @Max(1024 * 1024)
    private int maxPayloadSizeKb = 512;

    @Min(1)
    @Max(1024 * 1024)
    private int maxBatchSizeKb = 10240;

    @Min(1)
    @Max(1_000_000)
    private int maxBatchEvents = 1000;

    @Min(1)
    @Max(100_000)
    private int maxQueryLimit = 1000;

    /** Largest single-event body. Default 512 KB; larger → 413. */
    @JsonProperty
    public int getMaxPayloadSizeKb() {
        return maxPayloadSizeKb;
    }

    @JsonProperty
    public void setMaxPayloadSizeKb(int v) {
        this.maxPayloadSizeKb = v;
    }

    /** Largest batch body. Default 10240 KB; larger → 413. */
    @JsonProperty
    public int getMaxBatchSizeKb() {
        return maxBatchSizeKb;
    }

    @JsonProperty
    public void setMaxBatchSizeKb(int v) {
        this.maxBatchSizeKb = v;
    }

    /** Most events in one batch. Default 1000; more → 413. */
    @JsonProperty
    public int getMaxBatchEvents() {
        return maxBatchEvents;
    }

    @JsonProperty
    public void setMaxBatchEvents(int v) {
        this.maxBatchEvents = v;
    }

    /** Largest {@code limit} of {@code GET /events}. Default 1000; more → 400. */
    @JsonProperty
    public int getMaxQueryLimit() {
        return maxQueryLimit;
    }

    @JsonProperty
    public void setMaxQueryLimit(int v) {
        this.maxQueryLimit = v;
    }
}
