package dev.argus.service.agents;

import java.util.Locale;

/** A subagent's state (SPEC §12.3); stored and sent lower-case. */
public enum AgentStatus {
    PENDING, RUNNING, COMPLETED, FAILED, ABANDONED;

    private final String json = name().toLowerCase(Locale.ROOT);

    public String json() {
        return json;
    }

    /** Whether the agent has not finished yet (pending or running). */
    public boolean open() {
        return this == PENDING || this == RUNNING;
    }

    /** The status named by {@code value} (case-insensitive), or null. */
    public static AgentStatus parse(String value) {
        if (value == null) {
            return null;
        }
        for (AgentStatus s : values()) {
            if (s.json.equalsIgnoreCase(value.strip())) {
                return s;
            }
        }
        return null;
    }
}
