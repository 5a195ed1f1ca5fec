package dev.argus.service.work;

import java.util.Locale;

/** A workstream's status (SPEC §13.1). */
public enum WorkstreamStatus {
    ACTIVE, ARCHIVED;

    private final String json = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used on the wire and in storage. */
    public String json() {
        return json;
    }

    /** Exact lower-case names only (as Monitor); null for anything else. */
    public static WorkstreamStatus parse(String value) {
        for (WorkstreamStatus s : values()) {
            if (s.json.equals(value)) {
                return s;
            }
        }
        return null;
    }
}
