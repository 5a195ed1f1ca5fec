package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** Live stream (WebSocket and SSE) settings. */
public class StreamsConfig {
    @Min(1)
    private int clientQueueEvents = 10_000;

    /** Events buffered per connected client before it is told it lagged. Default 10000. */
    @JsonProperty
    public int getClientQueueEvents() {
        return clientQueueEvents;
    }

    @JsonProperty
    public void setClientQueueEvents(int clientQueueEvents) {
        this.clientQueueEvents = clientQueueEvents;
    }
}
