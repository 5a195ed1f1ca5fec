package dev.argus.service.work;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.core.Level;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/updates/manual {task_id, message, level?, kind?, tags?, data?}}
 * (SPEC §13.2). The update is an event with source {@code manual} and {@code event_type} = kind,
 * {@code update} when none is given. The caller answers 404 when {@code taskId} names no task.
 */
public record ManualUpdate(String taskId, String message, Level level, String kind, List<String> tags, String dataJson) {
    /** The {@code event_type} of a manual update sent without {@code kind}. */
    public static final String DEFAULT_KIND = "update";
    public static final String SOURCE = "manual";

    private static final Set<String> FIELDS = Set.of("task_id", "message", "level", "kind", "tags", "data");

    public ManualUpdate {
        tags = List.copyOf(tags);
    }

    /**
     * @throws WorkRequestException 422 for a missing or non-UUID {@code task_id}, a missing
     *                              {@code message}, an unknown level, a wrong type or an unknown field
     */
    public static ManualUpdate parse(ObjectNode body) {
        WorkJson.onlyFields(body, FIELDS);
        if (WorkJson.absent(body, "task_id")) {
            throw WorkRequestException.invalid("task_id", "'task_id' is required");
        }
        String taskId = WorkJson.uuid(body, "task_id");
        String message = WorkJson.requiredString(body, "message");
        Level level = null;
        if (!WorkJson.absent(body, "level")) {
            String l = WorkJson.string(body, "level");
            level = Level.parse(l);
            if (level == null) {
                throw WorkRequestException.invalid("level", "'level' must be one of trace, debug, info, warn, error, fatal, not '" + l + "'");
            }
        }
        String kind = DEFAULT_KIND;
        if (!WorkJson.absent(body, "kind")) {
            kind = WorkJson.string(body, "kind").strip();
            if (kind.isEmpty() || kind.codePointCount(0, kind.length()) > 128 || kind.chars().anyMatch(Character::isISOControl)) {
                throw WorkRequestException.invalid("kind", "'kind' must be 1-128 characters without control characters");
            }
        }
        List<String> tags = new ArrayList<>();
        if (!WorkJson.absent(body, "tags")) {
            JsonNode t = body.get("tags");
            if (!t.isArray()) {
                throw WorkRequestException.invalid("tags", "'tags' must be an array of strings");
            }
            for (JsonNode tag : t) {
                if (!tag.isTextual()) {
                    throw WorkRequestException.invalid("tags", "'tags' must be an array of strings");
                }
                tags.add(tag.textValue());
            }
        }
        String data = null;
        if (!WorkJson.absent(body, "data")) {
            JsonNode d = body.get("data");
            if (!d.isObject()) {
                throw WorkRequestException.invalid("data", "'data' must be a JSON object");
            }
            data = WorkJson.write(d);
        }
        return new ManualUpdate(taskId, message, level, kind, tags, data);
    }

    /**
     * The update as a {@code POST /events} body, so that it is validated and stored as every other
     * event (tag and data limits of SPEC §2 apply there).
     */
    public String toEventJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = WorkJson.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("source", SOURCE);
            g.writeStringField("event_type", kind);
            g.writeStringField("message", message);
            if (level != null) {
                g.writeStringField("level", level.json());
            }
            g.writeArrayFieldStart("tags");
            for (String t : tags) {
                g.writeString(t);
            }
            g.writeEndArray();
            if (dataJson != null) {
                g.writeFieldName("data");
                g.writeRawValue(dataJson);
            }
            g.writeStringField("task_id", taskId);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
