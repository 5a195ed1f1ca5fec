package dev.argus.service.core;

import java.util.Locale;

/**
 * The case rule of the text filter {@code q} (SPEC §3: a case-insensitive substring match): both
 * the message and the searched text are mapped with Unicode's full upper-case mapping without any
 * locale ({@code String.toUpperCase(Locale.ROOT)}, JavaScript's {@code toUpperCase()}), then
 * compared as substrings. Upper-casing has no context rules (lower-casing has Greek final sigma),
 * so a substring folds the same alone as inside its message: {@code é} finds {@code É},
 * {@code straße} finds {@code STRASSE}, {@code σ} finds {@code ς}; {@code İ} (dotted capital I)
 * finds only itself. The SQL of {@code GET /events} calls this very method (a SQLite function), the
 * live matcher calls it, and the dashboard applies the same mapping.
 */
public final class TextFold {
    private TextFold() {
    }

    public static String fold(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
