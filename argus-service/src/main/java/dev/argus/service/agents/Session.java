package dev.argus.service.agents;

/**
 * One agent session (SPEC §12.3), keyed by the events' {@code session_id}. Times are epoch
 * microseconds (server time); {@code endedAt} is null until the session ends.
 */
public record Session(
        String id,
        String source,
        String project,
        String cwd,
        String taskId,
        long startedAt,
        long lastEventAt,
        Long endedAt,
        SessionStatus status,
        long eventCount,
        long toolCount,
        long errorCount,
        long agentCount) {

    public Session withStatus(SessionStatus newStatus, Long newEndedAt) {
        return new Session(id, source, project, cwd, taskId, startedAt, lastEventAt, newEndedAt, newStatus,
                eventCount, toolCount, errorCount, agentCount);
    }

    public Session withTaskId(String newTaskId) {
        return new Session(id, source, project, cwd, newTaskId, startedAt, lastEventAt, endedAt, status,
                eventCount, toolCount, errorCount, agentCount);
    }
}
