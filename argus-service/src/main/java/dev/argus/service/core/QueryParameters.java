package dev.argus.service.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses query parameters into filters and queries with the rules of SPEC §3: unknown names and
 * bad values are errors (a typo must never widen a query), repeated filters mean any-of, empty
 * values count as absent.
 */
public final class QueryParameters {
    public static final Set<String> FILTER_NAMES = Set.of("source", "event_type", "level", "min_level", "session_id",
            "tag", "q", "hook", "tool_name", "tool_use_id", "agent_id", "status", "is_background", "task_id");
    public static final Set<String> QUERY_NAMES = Set.of("source", "event_type", "level", "min_level",
            "session_id", "tag", "q", "hook", "tool_name", "tool_use_id", "agent_id", "status", "is_background",
            "task_id", "since", "until", "after_id", "before_id", "limit", "order");

    /** A parameter the caller got wrong (answered 400 with this message). */
    public static final class InvalidParameterException extends Exception {
        public InvalidParameterException(String message) {
            super(message, null, false, false);
        }
    }

    private QueryParameters() {
    }

    /** Rejects any name not in {@code allowed}. */
    public static void checkNames(Map<String, List<String>> params, Set<String> allowed)
            throws InvalidParameterException {
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidParameterException("unknown query parameter '" + name + "'" + (allowed.isEmpty()
                        ? "; this route takes none"
                        : "; allowed: " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
    }

    public static EventQuery parseQuery(Map<String, List<String>> params, int defaultLimit, int maxLimit)
            throws InvalidParameterException {
        checkNames(params, QUERY_NAMES);
        EventFilter.Builder filter = filterBuilder(params);
        Long since = timestamp(params, "since");
        if (since != null) {
            filter.add(EventFilter.Field.SINCE, since);
        }
        Long until = timestamp(params, "until");
        if (until != null) {
            filter.add(EventFilter.Field.UNTIL, until);
        }
        Long after = id(params, "after_id");
        Long before = id(params, "before_id");
        int limit = defaultLimit;
        String rawLimit = single(params, "limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > maxLimit) {
                throw new InvalidParameterException("limit must be an integer from 1 to " + maxLimit);
            }
        }
        boolean ascending = false;
        String order = single(params, "order");
        if (order != null) {
            if (order.equalsIgnoreCase("asc")) {
                ascending = true;
            } else if (!order.equalsIgnoreCase("desc")) {
                throw new InvalidParameterException("order must be 'asc' or 'desc'");
            }
        }
        return new EventQuery(filter.build(), after, before, limit, ascending);
    }

    /** The live filters (no paging): {@link #FILTER_NAMES}. */
    public static EventFilter parseFilter(Map<String, List<String>> params) throws InvalidParameterException {
        return filterBuilder(params).build();
    }

    private static EventFilter.Builder filterBuilder(Map<String, List<String>> params) throws InvalidParameterException {
        List<Level> levels = new ArrayList<>();
        for (String v : values(params, "level")) {
            Level l = Level.parse(v);
            if (l == null) {
                throw new InvalidParameterException("level must be one of trace, debug, info, warn, error, fatal");
            }
            levels.add(l);
        }
        Level minLevel = null;
        String rawMin = single(params, "min_level");
        if (rawMin != null) {
            minLevel = Level.parse(rawMin);
            if (minLevel == null) {
                throw new InvalidParameterException("min_level must be one of trace, debug, info, warn, error, fatal");
            }
        }
        for (String v : values(params, "status")) {
            if (!AgentFields.STATUSES.contains(v)) {
                throw new InvalidParameterException("status must be one of success, failure, pending, activated");
            }
        }
        List<Boolean> background = new ArrayList<>();
        for (String v : values(params, "is_background")) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new InvalidParameterException("is_background must be true or false");
            }
            background.add(Boolean.valueOf(v));
        }
        EventFilter.Builder b = EventFilter.builder()
                .addAll(EventFilter.Field.SOURCE, values(params, "source"))
                .addAll(EventFilter.Field.EVENT_TYPE, values(params, "event_type"))
                .addAll(EventFilter.Field.LEVEL, levels)
                .addAll(EventFilter.Field.SESSION_ID, values(params, "session_id"))
                .addAll(EventFilter.Field.TAG, values(params, "tag"))
                .addAll(EventFilter.Field.TEXT, values(params, "q"))
                .addAll(EventFilter.Field.HOOK, values(params, "hook"))
                .addAll(EventFilter.Field.TOOL_NAME, values(params, "tool_name"))
                .addAll(EventFilter.Field.TOOL_USE_ID, values(params, "tool_use_id"))
                .addAll(EventFilter.Field.AGENT_ID, values(params, "agent_id"))
                .addAll(EventFilter.Field.STATUS, values(params, "status"))
                .addAll(EventFilter.Field.IS_BACKGROUND, background)
                .addAll(EventFilter.Field.TASK_ID, values(params, "task_id"));
        if (minLevel != null) {
            b.add(EventFilter.Field.MIN_LEVEL, minLevel);
        }
        return b;
    }

    private static List<String> values(Map<String, List<String>> params, String name) {
        List<String> raw = params.get(name);
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(raw.size());
        for (String v : raw) {
            if (v != null && !v.isEmpty()) {
                out.add(name.equals("q") ? v : v.strip());
            }
        }
        return out;
    }

    private static String single(Map<String, List<String>> params, String name) throws InvalidParameterException {
        List<String> v = values(params, name);
        if (v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw new InvalidParameterException(name + " may be given only once");
        }
        return v.get(0);
    }

    private static Long timestamp(Map<String, List<String>> params, String name) throws InvalidParameterException {
        String raw = single(params, name);
        if (raw == null) {
            return null;
        }
        long micros = Timestamps.parseMicros(raw);
        int sign = raw.length() - 6;
        if (micros == Long.MIN_VALUE && sign > 19 && raw.charAt(sign) == ' ') {
            // An unencoded '+' in a query string arrives as a space: "…T12:00:00 02:00".
            micros = Timestamps.parseMicros(raw.substring(0, sign) + '+' + raw.substring(sign + 1));
        }
        if (micros == Long.MIN_VALUE) {
            throw new InvalidParameterException(name + " must be an RFC 3339 date-time, e.g. 2026-11-21T12:34:56Z");
        }
        return micros;
    }

    private static Long id(Map<String, List<String>> params, String name) throws InvalidParameterException {
        String raw = single(params, name);
        if (raw == null) {
            return null;
        }
        try {
            long v = Long.parseLong(raw);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name + " must be a non-negative integer");
        }
    }
}
