package dev.argus.service.core;

/**
 * The field rules of SPEC §2 that do not depend on how an event arrived, shared by the JSON parser
 * and the OTLP mapping: each check returns what is wrong as a message ending a sentence that starts
 * with the field's name, or null when the value passes.
 */
public final class EventRules {
    private EventRules() {
    }

    /** {@code source} and {@code event_type}: 1–128 characters after stripping, no control characters. */
    public static String nameProblem(String stripped) {
        int length = stripped.codePointCount(0, stripped.length());
        if (length == 0) {
            return "must not be blank";
        }
        if (length > EventParser.MAX_NAME_LENGTH) {
            return "must be at most " + EventParser.MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < stripped.length(); i++) {
            if (Character.getType(stripped.charAt(i)) == Character.CONTROL) {
                return "must not contain control characters";
            }
        }
        return null;
    }

    /** An optional string limited to {@code maxLength} code points (after stripping). */
    public static String lengthProblem(String stripped, int maxLength) {
        if (maxLength != Integer.MAX_VALUE && stripped.codePointCount(0, stripped.length()) > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        return null;
    }
}
