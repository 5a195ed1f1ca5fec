package dev.argus.service.agents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.core.AgentFields;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;

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

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000)
                    .maxNumberLength(1_000_000).maxStringLength(Integer.MAX_VALUE).build())
            .build());

    /**
     * What a stored event tells the tracker, the same for {@code /hooks/claude} and {@code POST
     * /events}: the §12.1 fields, and from {@code data} (when it is the hook payload or carries the
     * same members) {@code cwd}, {@code project}, {@code agent_type} and the subagent tool's
     * {@code tool_input.subagent_type}/{@code description}. Replaying stored events through this
     * gives the state the writer derived.
     */
    public static TrackedEvent of(StoredEvent e) {
        AgentFields a = e.agent();
        String cwd = null;
        String project = null;
        String agentType = null;
        String subagentType = null;
        String subagentName = null;
        if (e.sessionId() != null && e.dataJson() != null) {
            JsonNode data;
            try {
                data = JSON.readTree(e.dataJson());
            } catch (JsonProcessingException ex) {
                data = null;   // stored data is always valid JSON; an unreadable one adds nothing
            }
            if (data != null && data.isObject()) {
                cwd = ClaudeHookMapper.loose(data.get("cwd"));
                project = ClaudeHookMapper.projectOf(cwd, data.get("project"));
                agentType = ClaudeHookMapper.truncateOrNull(ClaudeHookMapper.loose(data.get("agent_type")),
                        ClaudeHookMapper.MAX_ID_LENGTH);
                if (a.toolName() != null && ClaudeHookMapper.SUBAGENT_TOOLS.contains(a.toolName())) {
                    JsonNode input = data.path("tool_input");
                    subagentType = ClaudeHookMapper.truncateOrNull(ClaudeHookMapper.loose(input.get("subagent_type")),
                            ClaudeHookMapper.MAX_ID_LENGTH);
                    subagentName = ClaudeHookMapper.oneLine(ClaudeHookMapper.loose(input.get("description")),
                            ClaudeHookMapper.MAX_MESSAGE_LENGTH);
                }
            }
        }
        return new TrackedEvent(e.sessionId(), e.source(), a.hook(), a.toolName(), a.toolUseId(), a.agentId(),
                agentType, a.status(), e.level(), e.receivedAtMicros(), cwd, project, a.taskId(), subagentType,
                subagentName);
    }

    public static TrackedEvent of(HookEvent e, long receivedAtMicros) {
        return new TrackedEvent(e.sessionId(), e.source(), e.hook(), e.toolName(), e.toolUseId(), e.agentId(),
                e.agentType(), e.status(), e.level(), receivedAtMicros, e.cwd(), e.project(), e.taskId(),
                e.subagentType(), e.subagentName());
    }
}
