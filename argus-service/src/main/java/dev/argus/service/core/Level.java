package dev.argus.service.core;

import java.util.Locale;

/** Event levels in severity order; stored as their ordinal so that {@code min_level} is a comparison. */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    private static final Level[] VALUES = values();

    private final String json = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used on the wire. */
    public String json() {
        return json;
    }

    /** Case-insensitive; {@code warning} means {@code warn}. Returns null for anything else. */
    public static Level parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "trace": return TRACE;
            case "debug": return DEBUG;
            case "info": return INFO;
            case "warn":
            case "warning": return WARN;
            case "error": return ERROR;
            case "fatal": return FATAL;
            default: return null;
        }
    }

    public static Level ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
