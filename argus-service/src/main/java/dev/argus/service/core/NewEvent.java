package dev.argus.service.core;

import java.util.List;

/**
 * A validated event waiting to be stored. Strings are already stripped; {@code dataJson} and
 * {@code tagsJson} are compact JSON texts kept exactly as they will be returned; {@code agent} holds
 * the §12.1 fields (never null). An event with a {@code task_id} and no {@code uuid} gets a
 * server-made UUID as its {@code uuid} (SPEC §13.1).
 */
public record NewEvent(
        String source,
        String eventType,
        Level level,
        String message,
        long timestampMicros,
        String dataJson,
        List<String> tags,
        String tagsJson,
        String sessionId,
        String uuid,
        AgentFields agent) {

    public NewEvent {
        if (agent == null) {
            agent = AgentFields.NONE;
        }
        // An update (an event with a task_id) always has an id for the /api view (SPEC §13.1).
        if (uuid == null && agent.taskId() != null) {
            uuid = java.util.UUID.randomUUID().toString();
        }
    }

    /** An event without the agent-work fields of SPEC §12.1. */
    public NewEvent(String source, String eventType, Level level, String message, long timestampMicros,
                    String dataJson, List<String> tags, String tagsJson, String sessionId, String uuid) {
        this(source, eventType, level, message, timestampMicros, dataJson, tags, tagsJson, sessionId, uuid,
                AgentFields.NONE);
    }
}
