package dev.argus.service.core;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * An event as stored and returned, with its server-assigned {@code id} and {@code received_at}.
 * {@code tags} is the parsed form of {@code tagsJson} when known (fresh from ingest), else null.
 */
@JsonSerialize(using = StoredEventSerializer.class)
public record StoredEvent(
        long id,
        String source,
        String eventType,
        Level level,
        String message,
        long timestampMicros,
        long receivedAtMicros,
        String dataJson,
        String tagsJson,
        String sessionId,
        String uuid,
        List<String> tags,
        AgentFields agent) {

    public StoredEvent {
        if (agent == null) {
            agent = AgentFields.NONE;
        }
    }

    /** An event without the agent-work fields of SPEC §12.1. */
    public StoredEvent(long id, String source, String eventType, Level level, String message, long timestampMicros,
                       long receivedAtMicros, String dataJson, String tagsJson, String sessionId, String uuid,
                       List<String> tags) {
        this(id, source, eventType, level, message, timestampMicros, receivedAtMicros, dataJson, tagsJson, sessionId,
                uuid, tags, AgentFields.NONE);
    }

    public static StoredEvent of(long id, long receivedAtMicros, NewEvent e) {
        return new StoredEvent(id, e.source(), e.eventType(), e.level(), e.message(), e.timestampMicros(),
                receivedAtMicros, e.dataJson(), e.tagsJson(), e.sessionId(), e.uuid(), e.tags(), e.agent());
    }
}
