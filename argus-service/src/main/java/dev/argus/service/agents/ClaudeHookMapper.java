package dev.argus.service.agents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.FieldError;
import dev.argus.service.core.Level;
import dev.argus.service.core.MalformedInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maps the raw body of {@code POST /hooks/claude} (exactly what Claude Code hands a hook) to one
 * {@link HookEvent} by the rules of SPEC §12.2. Pure: no I/O, no clock, thread-safe.
 *
 * <p>The payload is kept byte for byte as {@code data} (the object's own bytes, without surrounding
 * whitespace); unknown members are kept, never refused. Only the members this class copies into
 * event fields are checked against the limits of §2/§12.1.
 */
public final class ClaudeHookMapper {
    public static final String DEFAULT_SOURCE = "claude-code";
    public static final int MAX_MESSAGE_LENGTH = 200;
    public static final int MAX_HOOK_LENGTH = 64;
    public static final int MAX_ID_LENGTH = 128;
    /** The tools that start a subagent (SPEC §12.3). */
    public static final Set<String> SUBAGENT_TOOLS = Set.of("Task", "Agent");

    /** {@code tool_input} members that say most about a call, most telling first. */
    private static final List<String> TELLING_INPUTS = List.of(
            "command", "file_path", "notebook_path", "pattern", "url", "query", "path", "description",
            "prompt", "skill");

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    public ClaudeHookMapper() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(100_000)
                        .maxNumberLength(1_000_000)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /** {@link #map(byte[], int, String, String, String)} over the whole array. */
    public HookEvent map(byte[] body, String source, String taskId, String uuid)
            throws MalformedInputException, HookValidationException {
        return map(body, body.length, source, taskId, uuid);
    }

    /**
     * @param body   the request body; only the first {@code length} bytes are read
     * @param source the {@code source} query parameter, null for {@value #DEFAULT_SOURCE}
     * @param taskId the {@code task_id} query parameter or null (its existence is the caller's check)
     * @param uuid   the {@code uuid} query parameter or null
     * @throws MalformedInputException not JSON, empty, or trailing content (400)
     * @throws HookValidationException a rule of §2/§12 is broken (422), each field named
     */
    public HookEvent map(byte[] body, int length, String source, String taskId, String uuid)
            throws MalformedInputException, HookValidationException {
        List<FieldError> errors = new ArrayList<>(2);
        String src = checkSource(source, errors);
        String id = checkUuid(uuid, errors);
        String task = taskId == null ? null : taskId.strip();
        if (task != null && (task.isEmpty() || task.codePointCount(0, task.length()) > MAX_ID_LENGTH)) {
            errors.add(new FieldError(null, "task_id", "must be 1 to " + MAX_ID_LENGTH + " characters"));
        }

        int[] span = scan(body, length, errors);
        if (span == null) {
            throw new HookValidationException(errors);
        }
        String data = new String(body, span[0], span[1] - span[0], StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = mapper.readTree(data);
        } catch (JsonProcessingException e) {
            throw new MalformedInputException("malformed JSON: " + e.getOriginalMessage());
        }

        String hook = checkHook(root.get("hook_event_name"), errors);
        String sessionId = text(root, "session_id", MAX_ID_LENGTH, errors);
        String toolName = text(root, "tool_name", MAX_ID_LENGTH, errors);
        String toolUseId = text(root, "tool_use_id", MAX_ID_LENGTH, errors);
        String agentId = text(root, "agent_id", MAX_ID_LENGTH, errors);
        String agentType = text(root, "agent_type", MAX_ID_LENGTH, errors);
        if (!errors.isEmpty()) {
            throw new HookValidationException(errors);
        }

        String cwd = loose(root.get("cwd"));
        JsonNode toolInput = root.path("tool_input");
        JsonNode toolResponse = root.get("tool_response");
        boolean responseFailed = responseFailed(toolResponse);
        Level level = levelOf(hook, responseFailed);
        String status = statusOf(hook, responseFailed);
        String message = oneLine(messageOf(hook, root, toolName, toolInput, toolResponse, responseFailed, cwd),
                MAX_MESSAGE_LENGTH);
        List<String> tags = toolName == null ? List.of()
                : List.of(truncate(toolName, EventParser.MAX_TAG_LENGTH));
        Boolean background = toolInput.path("run_in_background").isBoolean()
                ? toolInput.path("run_in_background").booleanValue() : null;
        String subagentType = null;
        String subagentName = null;
        if (toolName != null && SUBAGENT_TOOLS.contains(toolName)) {
            subagentType = truncateOrNull(loose(toolInput.get("subagent_type")), MAX_ID_LENGTH);
            subagentName = oneLine(loose(toolInput.get("description")), MAX_MESSAGE_LENGTH);
        }
        return new HookEvent(src, HookEvent.EVENT_TYPE, hook, level, message, tags, data, sessionId, toolName,
                toolUseId, agentId, agentType, status, background, task, id, cwd,
                projectOf(cwd, root.get("project")), subagentType, subagentName);
    }

    /**
     * Checks well-formedness, that the value is one object, and its depth; returns {start, end} byte
     * offsets of the object, or null with the errors added (422).
     */
    private int[] scan(byte[] body, int length, List<FieldError> errors) throws MalformedInputException {
        try (JsonParser p = factory.createParser(body, 0, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedInputException("request body is empty");
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                expectEnd(p);
                errors.add(new FieldError(null, null, "the hook payload must be a JSON object"));
                return null;
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            int depth = 1;
            int maxDepth = 1;
            while (depth > 0) {
                t = p.nextToken();
                if (t == null) {
                    throw new JsonEOFException(p, null, "unexpected end of input");
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    maxDepth = Math.max(maxDepth, ++depth);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
            int end = (int) p.currentLocation().getByteOffset();
            expectEnd(p);
            if (maxDepth > EventParser.MAX_DATA_DEPTH) {
                errors.add(new FieldError(null, "data", "nesting depth must be at most " + EventParser.MAX_DATA_DEPTH));
                return null;
            }
            return new int[] {start, end};
        } catch (JsonProcessingException e) {
            String m = e instanceof JsonEOFException ? "unexpected end of input" : firstLine(e.getOriginalMessage());
            throw new MalformedInputException("malformed JSON: " + m);
        } catch (IOException e) {
            throw new MalformedInputException("malformed JSON: " + e.getMessage());
        }
    }

    private static void expectEnd(JsonParser p) throws IOException, MalformedInputException {
        if (p.nextToken() != null) {
            throw new MalformedInputException("unexpected content after the JSON value");
        }
    }

    private static String firstLine(String m) {
        int nl = m == null ? -1 : m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : String.valueOf(m);
    }

    private static String checkSource(String source, List<FieldError> errors) {
        if (source == null) {
            return DEFAULT_SOURCE;
        }
        String s = source.strip();
        int n = s.codePointCount(0, s.length());
        if (n == 0 || n > EventParser.MAX_NAME_LENGTH || hasControl(s)) {
            errors.add(new FieldError(null, "source",
                    "must be 1 to " + EventParser.MAX_NAME_LENGTH + " characters without control characters"));
            return null;
        }
        return s;
    }

    private static String checkUuid(String uuid, List<FieldError> errors) {
        if (uuid == null) {
            return null;
        }
        int n = uuid.codePointCount(0, uuid.length());
        if (n == 0 || n > EventParser.MAX_UUID_LENGTH) {
            errors.add(new FieldError(null, "uuid", "must be 1 to " + EventParser.MAX_UUID_LENGTH + " characters"));
            return null;
        }
        return uuid;
    }

    private static String checkHook(JsonNode v, List<FieldError> errors) {
        if (v == null || v.isNull()) {
            errors.add(new FieldError(null, "hook_event_name", "is required"));
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(null, "hook_event_name", "must be a string"));
            return null;
        }
        String s = v.textValue().strip();
        int n = s.codePointCount(0, s.length());
        if (n == 0 || n > MAX_HOOK_LENGTH || hasControl(s)) {
            errors.add(new FieldError(null, "hook_event_name",
                    "must be 1 to " + MAX_HOOK_LENGTH + " characters without control characters"));
            return null;
        }
        return s;
    }

    /** A string member copied into an event field: absent/null → null, not a string or too long → error. */
    private static String text(JsonNode root, String field, int max, List<FieldError> errors) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(null, field, "must be a string"));
            return null;
        }
        String s = v.textValue().strip();
        if (s.codePointCount(0, s.length()) > max) {
            errors.add(new FieldError(null, field, "must be at most " + max + " characters"));
            return null;
        }
        return s.isEmpty() ? null : s;
    }

    /** A string member only read for the message or the session: anything else is ignored. */
    static String loose(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        String s = v.textValue().strip();
        return s.isEmpty() ? null : s;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.getType(s.charAt(i)) == Character.CONTROL) {
                return true;
            }
        }
        return false;
    }

    /** A {@code tool_response} object with {@code is_error: true} or a non-null {@code error} member. */
    private static boolean responseFailed(JsonNode r) {
        if (r == null || !r.isObject()) {
            return false;
        }
        JsonNode err = r.get("error");
        return r.path("is_error").asBoolean(false) && r.path("is_error").isBoolean()
                || err != null && !err.isNull() && !(err.isBoolean() && !err.booleanValue());
    }

    static Level levelOf(String hook, boolean responseFailed) {
        if ("PostToolUseFailure".equals(hook) || responseFailed) {
            return Level.ERROR;
        }
        if ("Notification".equals(hook)) {
            return Level.WARN;
        }
        return Level.INFO;
    }

    /**
     * The §12.1 status a hook implies: a tool call is {@code pending} until its result says
     * {@code success} or {@code failure}; a started subagent is {@code activated}, a stopped one
     * {@code success}. Other hooks carry none.
     */
    static String statusOf(String hook, boolean responseFailed) {
        switch (hook) {
            case "PreToolUse":
                return "pending";
            case "PostToolUse":
                return responseFailed ? "failure" : "success";
            case "PostToolUseFailure":
                return "failure";
            case "SubagentStart":
                return "activated";
            case "SubagentStop":
                return "success";
            default:
                return null;
        }
    }

    private static String messageOf(String hook, JsonNode root, String tool, JsonNode toolInput,
                                    JsonNode toolResponse, boolean responseFailed, String cwd) {
        switch (hook) {
            case "PreToolUse": {
                if (tool == null) {
                    return hook;
                }
                String input = tellingInput(toolInput);
                return input == null ? tool : tool + ": " + input;
            }
            case "PostToolUse":
                if (tool == null) {
                    return hook;
                }
                return responseFailed ? failed(tool, errorText(toolResponse)) : tool + " ok";
            case "PostToolUseFailure":
                return failed(tool == null ? "Tool" : tool, errorText(root));
            case "UserPromptSubmit": {
                String prompt = loose(root.get("prompt"));
                return prompt == null ? "Prompt" : "Prompt: " + prompt;
            }
            case "SessionStart": {
                String source = loose(root.get("source"));
                return "Session started" + (source == null ? "" : " (" + source + ")") + (cwd == null ? "" : " in " + cwd);
            }
            case "SessionEnd": {
                String reason = loose(root.get("reason"));
                return "Session ended" + (reason == null ? "" : " (" + reason + ")");
            }
            case "SubagentStart":
            case "SubagentStop": {
                String type = loose(root.get("agent_type"));
                return "Subagent " + (type == null ? "" : type + " ")
                        + (hook.equals("SubagentStart") ? "started" : "stopped");
            }
            case "Notification": {
                String text = loose(root.get("message"));
                return text == null ? "Notification" : "Notification: " + text;
            }
            case "Stop":
                return "Stop";
            default:
                return hook;
        }
    }

    private static String failed(String tool, String error) {
        return error == null ? tool + " failed" : tool + " failed: " + error;
    }

    /** The {@code error} member (a string, or an object's {@code message}); else a failed response's text content. */
    private static String errorText(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode err = node.get("error");
        if (err != null) {
            String s = err.isTextual() ? loose(err) : loose(err.get("message"));
            if (s != null) {
                return s;
            }
        }
        JsonNode content = node.get("content");
        if (content != null && content.isTextual()) {
            return loose(content);
        }
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String s = loose(part.get("text"));
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    private static String tellingInput(JsonNode toolInput) {
        if (!toolInput.isObject()) {
            return null;
        }
        for (String key : TELLING_INPUTS) {
            String s = loose(toolInput.get(key));
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** The last element of {@code cwd} (either separator, trailing ones ignored), else {@code data.project}. */
    static String projectOf(String cwd, JsonNode dataProject) {
        if (cwd != null) {
            int end = cwd.length();
            while (end > 0 && (cwd.charAt(end - 1) == '/' || cwd.charAt(end - 1) == '\\')) {
                end--;
            }
            int start = end;
            while (start > 0 && cwd.charAt(start - 1) != '/' && cwd.charAt(start - 1) != '\\') {
                start--;
            }
            if (end > start) {
                return truncate(cwd.substring(start, end), MAX_ID_LENGTH);
            }
        }
        return truncateOrNull(loose(dataProject), MAX_ID_LENGTH);
    }

    /** Whitespace and control characters folded to single spaces, then cut to {@code max} code points ending in "…". */
    static String oneLine(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max * 2 + 2));
        boolean space = false;
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.getType(cp) == Character.CONTROL || cp == '\u00a0') {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                count++;
                space = false;
            }
            sb.appendCodePoint(cp);
            count++;
            if (count > max) {
                break;
            }
        }
        return count > max ? truncate(sb.toString(), max - 1) + "…" : sb.toString();
    }

    private static String truncate(String s, int maxCodePoints) {
        if (s.codePointCount(0, s.length()) <= maxCodePoints) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxCodePoints));
    }

    static String truncateOrNull(String s, int max) {
        return s == null ? null : truncate(s, max);
    }
}
