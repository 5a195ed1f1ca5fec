package dev.argus.service.github;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.core.Level;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one event a GitHub delivery becomes (SPEC §14). {@code dataJson} is a compact JSON object of
 * the delivery's essentials; {@code taskId} is null when neither {@code ?task_id=} nor a route
 * named a task; {@code repository} ({@code owner/name}) and {@code branch} are what routing saw.
 */
public record GithubEvent(
        String source,
        String uuid,
        String eventType,
        String message,
        Level level,
        List<String> tags,
        String dataJson,
        String taskId,
        String repository,
        String branch) implements GithubDelivery {

    private static final ObjectMapper JSON = new ObjectMapper();

    public GithubEvent {
        tags = List.copyOf(tags);
    }

    /** The {@code tags} array as JSON text. */
    public String tagsJson() {
        try {
            return JSON.writeValueAsString(tags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The event as a {@code POST /events} body (with {@code task_id} when routed), so that it can
     * go through the same parser and validation as every other event.
     */
    public String toEventJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("source", source);
            g.writeStringField("event_type", eventType);
            g.writeStringField("message", message);
            g.writeStringField("level", level.json());
            g.writeFieldName("tags");
            g.writeRawValue(tagsJson());
            g.writeFieldName("data");
            g.writeRawValue(dataJson);
            g.writeStringField("uuid", uuid);
            if (taskId != null) {
                g.writeStringField("task_id", taskId);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
