package dev.argus.service.agents;

import dev.argus.service.core.Level;

/**
 * What the session tracker reads from one stored event: the §12.1 fields, the level, the server
 * time it was received, and the few payload values that name a session's project and a
 * subagent. Built from a {@link HookEvent} ({@link #of}) or, for {@code POST /events}, from the
 * event's fields and its {@code data}.
 *
 * @param timeMicros   the event's {@code received_at} (server clock, so idle detection is not fooled by producers' clocks)
 * @param subagentType {@code tool_input.subagent_type} of a subagent tool call, else null
 * @param subagentName {@code tool_input.description} of a subagent tool call, else null
 */
public record TrackedEvent(
        String sessionId,
        String source,
        String hook,
        String toolName,
        String toolUseId,
        String agentId,
        String agentType,
        String status,
        Level level,
        long timeMicros,
        String cwd,
        String project,
        String taskId,
        String subagentType,
        String subagentName) {

    public static TrackedEvent of(HookEvent e, long receivedAtMicros) {
        return new TrackedEvent(e.sessionId(), e.source(), e.hook(), e.toolName(), e.toolUseId(), e.agentId(),
                e.agentType(), e.status(), e.level(), receivedAtMicros, e.cwd(), e.project(), e.taskId(),
                e.subagentType(), e.subagentName());
    }
}
