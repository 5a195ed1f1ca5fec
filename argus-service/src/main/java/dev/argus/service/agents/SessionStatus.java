package dev.argus.service.agents;

import java.util.Locale;

/** A session's state (SPEC §12.3); stored and sent lower-case. */
public enum SessionStatus {
    ACTIVE, IDLE, ENDED;

    private final String json = name().toLowerCase(Locale.ROOT);

    public String json() {
        return json;
    }

    /** The status named by {@code value} (case-insensitive), or null. */
    public static SessionStatus parse(String value) {
        if (value == null) {
            return null;
        }
        for (SessionStatus s : values()) {
            if (s.json.equalsIgnoreCase(value.strip())) {
                return s;
            }
        }
        return null;
    }
}
