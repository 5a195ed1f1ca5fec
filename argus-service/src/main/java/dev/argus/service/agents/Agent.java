package dev.argus.service.agents;

/**
 * A subagent of a session (SPEC §12.3). {@code id} is the subagent tool call's {@code tool_use_id}
 * (or the hook's {@code agent_id} when it started with no pending call); {@code agentId} is the
 * {@code agent_id} its own hooks carry, known once it runs. Times are epoch microseconds.
 */
public record Agent(
        String id,
        String agentId,
        String sessionId,
        String parentAgentId,
        String type,
        String name,
        AgentStatus status,
        long startedAt,
        Long endedAt,
        long eventCount) {

    Agent running(String newAgentId) {
        return new Agent(id, newAgentId, sessionId, parentAgentId, type, name, AgentStatus.RUNNING, startedAt, null,
                eventCount);
    }

    Agent finished(AgentStatus newStatus, long at) {
        return new Agent(id, agentId, sessionId, parentAgentId, type, name, newStatus, startedAt, at, eventCount);
    }

    Agent counted() {
        return new Agent(id, agentId, sessionId, parentAgentId, type, name, status, startedAt, endedAt, eventCount + 1);
    }
}
