package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** Live stream (WebSocket and SSE) settings. */
public class StreamsConfig {
    @Min(1)
    private int clientQueueEvents = 10_000;
    @Min(1)
    private int authTimeoutSeconds = 10;

    /** Events buffered per connected client before it is told it lagged. Default 10000. */
    @JsonProperty
    public int getClientQueueEvents() {
        return clientQueueEvents;
    }

    @JsonProperty
    public void setClientQueueEvents(int clientQueueEvents) {
        this.clientQueueEvents = clientQueueEvents;
    }

    /** Seconds a WebSocket client has to authenticate before it is closed with 1008. Default 10 (SPEC §4). */
    @JsonProperty
    public int getAuthTimeoutSeconds() {
        return authTimeoutSeconds;
    }

    @JsonProperty
    public void setAuthTimeoutSeconds(int authTimeoutSeconds) {
        this.authTimeoutSeconds = authTimeoutSeconds;
    }
}
