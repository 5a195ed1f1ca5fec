package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** Live stream (WebSocket and SSE) settings. */
public class StreamsConfig {
    @Min(1)
    private int clientQueueEvents = 10_000;
    @Min(1)
    private int authTimeoutSeconds = 10;
    private boolean permessageDeflate;

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

    /**
     * Whether {@code /ws} accepts {@code permessage-deflate}. Default false: live events are small
     * JSON frames (see docs/benchmarks.md for what compression saves and costs), and with the
     * extension Jetty 12.1 accepts outgoing frames faster than a stalled client takes them, so a
     * client that stops reading is no longer held to its bounded queue.
     */
    @JsonProperty
    public boolean isPermessageDeflate() {
        return permessageDeflate;
    }

    @JsonProperty
    public void setPermessageDeflate(boolean permessageDeflate) {
        this.permessageDeflate = permessageDeflate;
    }
}
