package dev.argus.service.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns request bytes into validated {@link NewEvent}s with the exact rules of SPEC §2, in one
 * streaming pass: strict JSON types, unknown fields refused, {@code data} kept byte-for-byte as
 * sent (numbers never pass through {@code double}) with its depth checked.
 */
public final class EventParser {
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_TAGS = 32;
    public static final int MAX_TAG_LENGTH = 64;
    public static final int MAX_SESSION_ID_LENGTH = 128;
    public static final int MAX_UUID_LENGTH = 64;
    public static final int MAX_DATA_DEPTH = 64;

    private final JsonFactory factory;

    public EventParser() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(100_000)
                        .maxNumberLength(1_000_000)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build();
    }

    /** A parsed request: the events if all are valid, else the errors (never both). */
    public record Result(List<NewEvent> events, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Thrown when a batch holds more events than allowed (answered 413). */
    public static final class TooManyEventsException extends Exception {
        public TooManyEventsException() {
            super(null, null, false, false);
        }
    }

    /** One event: the body must be a single JSON object. */
    public Result parseSingle(byte[] body, int length, long nowMicros) throws MalformedInputException {
        List<FieldError> errors = new ArrayList<>(2);
        try (JsonParser p = factory.createParser(body, 0, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedInputException("request body is empty");
            }
            NewEvent event = readValue(p, body, 0, null, errors, nowMicros);
            expectEnd(p);
            return event == null ? new Result(List.of(), errors) : new Result(List.of(event), errors);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** A JSON array of events. */
    public Result parseArray(byte[] body, int length, int maxEvents, long nowMicros)
            throws MalformedInputException, TooManyEventsException {
        List<FieldError> errors = new ArrayList<>();
        List<NewEvent> events = new ArrayList<>();
        try (JsonParser p = factory.createParser(body, 0, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedInputException("request body is empty");
            }
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                expectEnd(p);
                errors.add(new FieldError(null, null, "a batch must be a JSON array of event objects (or NDJSON)"));
                return new Result(List.of(), errors);
            }
            int index = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedInputException("unexpected end of input inside the batch array");
                }
                if (index >= maxEvents) {
                    throw new TooManyEventsException();
                }
                NewEvent e = readValue(p, body, 0, index, errors, nowMicros);
                if (e != null) {
                    events.add(e);
                }
                index++;
            }
            expectEnd(p);
            if (index == 0) {
                errors.add(new FieldError(null, null, "batch is empty"));
            }
            return errors.isEmpty() ? new Result(events, errors) : new Result(List.of(), errors);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Newline-delimited JSON: one event object per non-blank line. */
    public Result parseNdjson(byte[] body, int length, int maxEvents, long nowMicros)
            throws MalformedInputException, TooManyEventsException {
        List<FieldError> errors = new ArrayList<>();
        List<NewEvent> events = new ArrayList<>();
        int index = 0;
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = lineStart;
            while (lineEnd < length && body[lineEnd] != '\n') {
                lineEnd++;
            }
            if (!isBlank(body, lineStart, lineEnd)) {
                if (index >= maxEvents) {
                    throw new TooManyEventsException();
                }
                try (JsonParser p = factory.createParser(body, lineStart, lineEnd - lineStart)) {
                    p.nextToken();
                    NewEvent e = readValue(p, body, lineStart, index, errors, nowMicros);
                    expectEnd(p);
                    if (e != null) {
                        events.add(e);
                    }
                } catch (IOException | MalformedInputException e) {
                    throw new MalformedInputException("line at index " + index + " is not valid JSON: "
                            + (e instanceof IOException io ? describe(io) : e.getMessage()));
                }
                index++;
            }
            lineStart = lineEnd + 1;
        }
        if (index == 0) {
            errors.add(new FieldError(null, null, "batch is empty"));
        }
        return errors.isEmpty() ? new Result(events, errors) : new Result(List.of(), errors);
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static void expectEnd(JsonParser p) throws IOException, MalformedInputException {
        if (p.nextToken() != null) {
            throw new MalformedInputException("unexpected content after the JSON value");
        }
    }

    private static MalformedInputException malformed(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return new MalformedInputException("input exceeds parser limits: " + describe(e));
        }
        return new MalformedInputException("malformed JSON: " + describe(e));
    }

    private static String describe(IOException e) {
        if (e instanceof JsonEOFException) {
            return "unexpected end of input";
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            String m = jpe.getOriginalMessage();
            int nl = m == null ? -1 : m.indexOf('\n');
            return nl > 0 ? m.substring(0, nl) : String.valueOf(m);
        }
        return String.valueOf(e.getMessage());
    }

    /** Reads the value at the current token; returns an event when it is a valid event object. */
    private NewEvent readValue(JsonParser p, byte[] body, int base, Integer index, List<FieldError> errors,
                               long nowMicros) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            errors.add(new FieldError(index, null, "an event must be a JSON object"));
            return null;
        }
        int errorsBefore = errors.size();
        String source = null;
        String eventType = null;
        String message = null;
        Level level = null;
        long timestamp = nowMicros;
        String data = null;
        List<String> tags = List.of();
        String sessionId = null;
        String uuid = null;
        String hook = null;
        String toolName = null;
        String toolUseId = null;
        String agentId = null;
        String status = null;
        Boolean background = null;
        String taskId = null;
        boolean sawSource = false;
        boolean sawType = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "source":
                    sawSource = true;
                    source = requiredName(p, v, index, "source", errors);
                    break;
                case "event_type":
                    sawType = true;
                    eventType = requiredName(p, v, index, "event_type", errors);
                    break;
                case "message":
                    message = optionalString(p, v, index, "message", errors, Integer.MAX_VALUE);
                    break;
                case "level": {
                    String raw = optionalString(p, v, index, "level", errors, Integer.MAX_VALUE);
                    if (raw != null) {
                        level = Level.parse(raw);
                        if (level == null) {
                            errors.add(new FieldError(index, "level",
                                    "must be one of trace, debug, info, warn, error, fatal"));
                        }
                    }
                    break;
                }
                case "timestamp": {
                    String raw = optionalString(p, v, index, "timestamp", errors, Integer.MAX_VALUE);
                    if (raw != null) {
                        long micros = Timestamps.parseMicros(raw.strip());
                        if (micros == Long.MIN_VALUE) {
                            errors.add(new FieldError(index, "timestamp",
                                    "must be an RFC 3339 date-time between 1970 and 9999, e.g. 2026-11-21T12:34:56.123456Z"));
                        } else {
                            timestamp = micros;
                        }
                    }
                    break;
                }
                case "data":
                    data = readData(p, v, body, base, index, errors);
                    break;
                case "tags":
                    tags = readTags(p, v, index, errors);
                    break;
                case "session_id":
                    sessionId = optionalString(p, v, index, "session_id", errors, MAX_SESSION_ID_LENGTH);
                    break;
                case "uuid":
                    uuid = readUuid(p, v, index, errors);
                    break;
                case "hook":
                    hook = readHook(p, v, index, errors);
                    break;
                case "tool_name":
                    toolName = optionalId(p, v, index, "tool_name", errors);
                    break;
                case "tool_use_id":
                    toolUseId = optionalId(p, v, index, "tool_use_id", errors);
                    break;
                case "agent_id":
                    agentId = optionalId(p, v, index, "agent_id", errors);
                    break;
                case "status":
                    status = optionalString(p, v, index, "status", errors, Integer.MAX_VALUE);
                    if (status != null && !AgentFields.STATUSES.contains(status)) {
                        errors.add(new FieldError(index, "status", "must be one of success, failure, pending, activated"));
                    }
                    break;
                case "is_background":
                    if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                        background = v == JsonToken.VALUE_TRUE;
                    } else if (v != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        errors.add(new FieldError(index, "is_background", "must be a boolean"));
                    }
                    break;
                case "task_id":
                    taskId = optionalId(p, v, index, "task_id", errors);
                    break;
                default:
                    p.skipChildren();
                    errors.add(new FieldError(index, name, "unknown field '" + name + "'"));
            }
        }
        if (!sawSource) {
            errors.add(new FieldError(index, "source", "is required"));
        }
        if (!sawType) {
            errors.add(new FieldError(index, "event_type", "is required"));
        }
        if (errors.size() != errorsBefore) {
            return null;
        }
        return new NewEvent(source, eventType, level, message, timestamp, data, tags, tagsJson(tags), sessionId, uuid,
                AgentFields.of(hook, toolName, toolUseId, agentId, status, background, taskId));
    }

    /** {@code hook}: 1–64 characters after stripping, no control characters (SPEC §12.1). */
    private static String readHook(JsonParser p, JsonToken v, Integer index, List<FieldError> errors)
            throws IOException {
        String s = optionalString(p, v, index, "hook", errors, Integer.MAX_VALUE);
        if (s == null) {
            return null;
        }
        int length = s.codePointCount(0, s.length());
        if (length == 0 || length > AgentFields.MAX_HOOK_LENGTH) {
            errors.add(new FieldError(index, "hook", "must be 1 to " + AgentFields.MAX_HOOK_LENGTH + " characters"));
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.getType(s.charAt(i)) == Character.CONTROL) {
                errors.add(new FieldError(index, "hook", "must not contain control characters"));
                return null;
            }
        }
        return s;
    }

    /** {@code tool_name}, {@code tool_use_id}, {@code agent_id}, {@code task_id}: at most 128 characters; empty is absent. */
    private static String optionalId(JsonParser p, JsonToken v, Integer index, String field, List<FieldError> errors)
            throws IOException {
        String s = optionalString(p, v, index, field, errors, AgentFields.MAX_ID_LENGTH);
        return s == null || s.isEmpty() ? null : s;
    }

    private static String requiredName(JsonParser p, JsonToken v, Integer index, String field, List<FieldError> errors)
            throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            errors.add(new FieldError(index, field, "is required"));
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            p.skipChildren();
            errors.add(new FieldError(index, field, "must be a string"));
            return null;
        }
        String s = p.getText().strip();
        String problem = EventRules.nameProblem(s);
        if (problem != null) {
            errors.add(new FieldError(index, field, problem));
            return null;
        }
        return s;
    }

    private static String optionalString(JsonParser p, JsonToken v, Integer index, String field,
                                         List<FieldError> errors, int maxLength) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            p.skipChildren();
            errors.add(new FieldError(index, field, "must be a string"));
            return null;
        }
        String s = p.getText().strip();
        String problem = EventRules.lengthProblem(s, maxLength);
        if (problem != null) {
            errors.add(new FieldError(index, field, problem));
            return null;
        }
        return s;
    }

    private static String readUuid(JsonParser p, JsonToken v, Integer index, List<FieldError> errors)
            throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            p.skipChildren();
            errors.add(new FieldError(index, "uuid", "must be a string"));
            return null;
        }
        String s = p.getText();
        int length = s.codePointCount(0, s.length());
        if (length == 0 || length > MAX_UUID_LENGTH) {
            errors.add(new FieldError(index, "uuid", "must be 1 to " + MAX_UUID_LENGTH + " characters"));
            return null;
        }
        return s;
    }

    private static List<String> readTags(JsonParser p, JsonToken v, Integer index, List<FieldError> errors)
            throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            errors.add(new FieldError(index, "tags", "must be an array of strings"));
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        boolean bad = false;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                p.skipChildren();
                if (!bad) {
                    errors.add(new FieldError(index, "tags", "must be an array of strings"));
                }
                bad = true;
                continue;
            }
            String tag = p.getText().strip();
            int length = tag.codePointCount(0, tag.length());
            if ((length == 0 || length > MAX_TAG_LENGTH) && !bad) {
                errors.add(new FieldError(index, "tags", "each tag must be 1 to " + MAX_TAG_LENGTH + " characters"));
                bad = true;
            }
            tags.add(tag);
        }
        if (tags.size() > MAX_TAGS && !bad) {
            errors.add(new FieldError(index, "tags", "at most " + MAX_TAGS + " tags are allowed"));
            bad = true;
        }
        return bad ? List.of() : tags;
    }

    /** Returns the exact text of the {@code data} object as sent, after checking its depth. */
    private static String readData(JsonParser p, JsonToken v, byte[] body, int base, Integer index,
                                   List<FieldError> errors) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            errors.add(new FieldError(index, "data", "must be a JSON object"));
            return null;
        }
        long start = p.currentTokenLocation().getByteOffset();
        int depth = 1;
        int maxDepth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
                if (depth > maxDepth) {
                    maxDepth = depth;
                }
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == null) {
                throw new JsonEOFException(p, null, "unexpected end of input in data");
            }
        }
        long end = p.currentLocation().getByteOffset();
        if (maxDepth > MAX_DATA_DEPTH) {
            errors.add(new FieldError(index, "data", "nesting depth must be at most " + MAX_DATA_DEPTH));
            return null;
        }
        return new String(body, base + (int) start, (int) (end - start), StandardCharsets.UTF_8);
    }

    private String tagsJson(List<String> tags) {
        if (tags.isEmpty()) {
            return "[]";
        }
        try {
            StringWriter w = new StringWriter(16 * tags.size());
            try (JsonGenerator g = factory.createGenerator(w)) {
                g.writeStartArray();
                for (String tag : tags) {
                    g.writeString(tag);
                }
                g.writeEndArray();
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
