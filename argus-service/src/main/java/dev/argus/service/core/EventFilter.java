package dev.argus.service.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one definition of an event filter (SPEC §3–§5): at most one clause per {@link Field}, each
 * with one or more values. An event matches a clause when it matches any of its values, and the
 * filter when it matches every clause; no clause matches everything. {@code GET /events} and stream
 * replays compile it to SQL ({@code storage.sqlite.SqliteEventReader}), live streams evaluate {@link #matches}; both
 * switch over {@link Field} exhaustively, and a property test holds their answers equal.
 */
public final class EventFilter {

    /** What one value of a clause means. An event without the field matches no value of it. */
    public enum Field {
        /** {@code source} equals the value. */
        SOURCE(String.class),
        /** {@code event_type} equals the value. */
        EVENT_TYPE(String.class),
        /** {@code level} equals the value. */
        LEVEL(Level.class),
        /** {@code level} is the value or more severe. */
        MIN_LEVEL(Level.class),
        /** {@code session_id} equals the value. */
        SESSION_ID(String.class),
        /** one of the event's {@code tags} equals the value. */
        TAG(String.class),
        /** {@code message} contains the value, both folded by {@link TextFold} ({@code q}). */
        TEXT(String.class),
        /** {@code hook} equals the value (SPEC §12.1). */
        HOOK(String.class),
        /** {@code tool_name} equals the value. */
        TOOL_NAME(String.class),
        /** {@code tool_use_id} equals the value. */
        TOOL_USE_ID(String.class),
        /** {@code agent_id} equals the value. */
        AGENT_ID(String.class),
        /** {@code status} equals the value. */
        STATUS(String.class),
        /** {@code is_background} equals the value. */
        IS_BACKGROUND(Boolean.class),
        /** {@code task_id} equals the value. */
        TASK_ID(String.class),
        /** {@code timestamp} is at or after the value (epoch microseconds). */
        SINCE(Long.class),
        /** {@code timestamp} is at or before the value (epoch microseconds). */
        UNTIL(Long.class);

        private final Class<?> type;

        Field(Class<?> type) {
            this.type = type;
        }
    }

    public static final EventFilter ALL = builder().build();

    private final Map<Field, List<Object>> clauses;
    /** The {@link Field#TEXT} values, folded once. */
    private final List<String> foldedTexts;

    private EventFilter(Map<Field, List<Object>> clauses) {
        this.clauses = clauses;
        List<String> folded = new ArrayList<>();
        for (Object t : values(Field.TEXT)) {
            folded.add(TextFold.fold((String) t));
        }
        this.foldedTexts = List.copyOf(folded);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The fields that have a clause, in declaration order. */
    public Set<Field> fields() {
        return clauses.keySet();
    }

    /** The values of {@code field}'s clause; empty when it has none. */
    public List<Object> values(Field field) {
        return clauses.getOrDefault(field, List.of());
    }

    /** The {@link Field#TEXT} values folded by {@link TextFold}. */
    public List<String> foldedTexts() {
        return foldedTexts;
    }

    /** This filter without {@code field}'s clause. */
    public EventFilter without(Field field) {
        EnumMap<Field, List<Object>> copy = new EnumMap<>(Field.class);
        copy.putAll(clauses);
        copy.remove(field);
        return new EventFilter(Collections.unmodifiableMap(copy));
    }

    public boolean isEmpty() {
        return clauses.isEmpty();
    }

    /** Whether a (live) event passes; the same answer as the SQL of {@code GET /events}. */
    public boolean matches(StoredEvent e) {
        for (Map.Entry<Field, List<Object>> clause : clauses.entrySet()) {
            if (!matchesAny(clause.getKey(), clause.getValue(), e)) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesAny(Field field, List<Object> values, StoredEvent e) {
        return switch (field) {
            case SOURCE -> values.contains(e.source());
            case EVENT_TYPE -> values.contains(e.eventType());
            case LEVEL -> e.level() != null && values.contains(e.level());
            case MIN_LEVEL -> e.level() != null && values.stream().anyMatch(v -> e.level().compareTo((Level) v) >= 0);
            case SESSION_ID -> e.sessionId() != null && values.contains(e.sessionId());
            case TAG -> {
                List<String> tags = e.tags() != null ? e.tags() : TagsJson.parse(e.tagsJson());
                yield values.stream().anyMatch(tags::contains);
            }
            case TEXT -> {
                if (e.message() == null) {
                    yield false;
                }
                String m = TextFold.fold(e.message());
                yield foldedTexts.stream().anyMatch(m::contains);
            }
            case HOOK -> e.agent().hook() != null && values.contains(e.agent().hook());
            case TOOL_NAME -> e.agent().toolName() != null && values.contains(e.agent().toolName());
            case TOOL_USE_ID -> e.agent().toolUseId() != null && values.contains(e.agent().toolUseId());
            case AGENT_ID -> e.agent().agentId() != null && values.contains(e.agent().agentId());
            case STATUS -> e.agent().status() != null && values.contains(e.agent().status());
            case IS_BACKGROUND -> e.agent().isBackground() != null && values.contains(e.agent().isBackground());
            case TASK_ID -> e.agent().taskId() != null && values.contains(e.agent().taskId());
            case SINCE -> values.stream().anyMatch(v -> e.timestampMicros() >= (Long) v);
            case UNTIL -> values.stream().anyMatch(v -> e.timestampMicros() <= (Long) v);
        };
    }

    @Override
    public String toString() {
        return "EventFilter" + clauses;
    }

    /** Collects clauses; adding to a field again adds a value to its clause. */
    public static final class Builder {
        private final EnumMap<Field, List<Object>> clauses = new EnumMap<>(Field.class);

        public Builder add(Field field, Object value) {
            if (!field.type.isInstance(value)) {
                throw new IllegalArgumentException(field + " takes " + field.type.getSimpleName() + ", not " + value);
            }
            clauses.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder addAll(Field field, List<?> values) {
            values.forEach(v -> add(field, v));
            return this;
        }

        public EventFilter build() {
            EnumMap<Field, List<Object>> copy = new EnumMap<>(Field.class);
            clauses.forEach((f, v) -> copy.put(f, List.copyOf(v)));
            return new EventFilter(Collections.unmodifiableMap(copy));
        }
    }
}
