package dev.argus.service.agents;

import dev.argus.service.core.Level;

import java.util.List;

/**
 * One Claude Code hook request mapped to the fields of an event (SPEC §2, §12.1, §12.2) plus what
 * the session tracker needs from the payload ({@code cwd}, {@code project}, {@code agentType} and
 * the subagent tool's {@code subagent_type}/{@code description}).
 *
 * @param source        the {@code source} query parameter, default {@code claude-code}
 * @param eventType     always {@code hook}
 * @param hook          {@code hook_event_name}
 * @param level         never null for a hook: error, warn or info
 * @param message       one human line of at most 200 characters
 * @param tags          {@code [tool_name]}, or empty
 * @param dataJson      the payload object exactly as sent (UTF-8 text of its bytes)
 * @param status        success, failure, pending or activated when the hook implies one, else null
 * @param isBackground  {@code tool_input.run_in_background} of a tool call when it is a boolean, else null
 * @param subagentType  {@code tool_input.subagent_type} of a {@code Task}/{@code Agent} tool call
 * @param subagentName  {@code tool_input.description} of a {@code Task}/{@code Agent} tool call
 */
public record HookEvent(
        String source,
        String eventType,
        String hook,
        Level level,
        String message,
        List<String> tags,
        String dataJson,
        String sessionId,
        String toolName,
        String toolUseId,
        String agentId,
        String agentType,
        String status,
        Boolean isBackground,
        String taskId,
        String uuid,
        String cwd,
        String project,
        String subagentType,
        String subagentName) {

    public static final String EVENT_TYPE = "hook";

    public HookEvent {
        tags = List.copyOf(tags);
    }
}
