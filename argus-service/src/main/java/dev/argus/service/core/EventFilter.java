package dev.argus.service.core;

import java.util.List;

/**
 * The filters shared by {@code GET /events}, SSE and WebSocket subscriptions (SPEC §3, §4): each
 * list matches any of its values, different filters AND; an empty list does not filter.
 */
public record EventFilter(
        List<String> sources,
        List<String> eventTypes,
        List<Level> levels,
        Level minLevel,
        List<String> sessionIds,
        List<String> tags,
        List<String> texts) {

    public static final EventFilter ALL = new EventFilter(List.of(), List.of(), List.of(), null, List.of(), List.of(), List.of());

    public boolean isEmpty() {
        return sources.isEmpty() && eventTypes.isEmpty() && levels.isEmpty() && minLevel == null
                && sessionIds.isEmpty() && tags.isEmpty() && texts.isEmpty();
    }

    /** The same rules as the SQL of {@code GET /events}, for live events. */
    public boolean matches(StoredEvent e) {
        if (!sources.isEmpty() && !sources.contains(e.source())) {
            return false;
        }
        if (!eventTypes.isEmpty() && !eventTypes.contains(e.eventType())) {
            return false;
        }
        if (!levels.isEmpty() && (e.level() == null || !levels.contains(e.level()))) {
            return false;
        }
        if (minLevel != null && (e.level() == null || e.level().ordinal() < minLevel.ordinal())) {
            return false;
        }
        if (!sessionIds.isEmpty() && (e.sessionId() == null || !sessionIds.contains(e.sessionId()))) {
            return false;
        }
        if (!tags.isEmpty()) {
            List<String> eventTags = e.tags() != null ? e.tags() : TagsJson.parse(e.tagsJson());
            boolean any = false;
            for (String t : tags) {
                if (eventTags.contains(t)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (!texts.isEmpty()) {
            if (e.message() == null) {
                return false;
            }
            String m = asciiLower(e.message());
            boolean any = false;
            for (String t : texts) {
                if (m.contains(asciiLower(t))) {
                    any = true;
                    break;
                }
            }
            return any;
        }
        return true;
    }

    /** Case folding of SQLite's LIKE (ASCII letters only), so live and stored matches agree. */
    static String asciiLower(String s) {
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if (c == null) {
                    c = s.toCharArray();
                }
                c[i] = (char) (ch + 32);
            }
        }
        return c == null ? s : new String(c);
    }
}
