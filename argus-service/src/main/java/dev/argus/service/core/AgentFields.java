package dev.argus.service.core;

/**
 * The agent-work fields of an event (SPEC §12.1), each null when absent. {@code status} is one of
 * {@link #STATUSES}; {@code taskId} names a task (§13).
 */
public record AgentFields(
        String hook,
        String toolName,
        String toolUseId,
        String agentId,
        String status,
        Boolean isBackground,
        String taskId) {

    public static final AgentFields NONE = new AgentFields(null, null, null, null, null, null, null);
    public static final java.util.List<String> STATUSES = java.util.List.of("success", "failure", "pending", "activated");
    public static final int MAX_HOOK_LENGTH = 64;
    public static final int MAX_ID_LENGTH = 128;

    /** NONE when every field is null, so that events without them share one instance. */
    public static AgentFields of(String hook, String toolName, String toolUseId, String agentId, String status,
                                 Boolean isBackground, String taskId) {
        if (hook == null && toolName == null && toolUseId == null && agentId == null && status == null
                && isBackground == null && taskId == null) {
            return NONE;
        }
        return new AgentFields(hook, toolName, toolUseId, agentId, status, isBackground, taskId);
    }
}
