package dev.argus.service.work;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.Timestamps;

import java.io.IOException;

/**
 * The {@code /api} view of an event with a {@code task_id} (SPEC §13.1):
 * {@code {seq, id, task_id, source, timestamp, message, kind, level, tags, data}} with
 * {@code seq} = event id, {@code id} = event uuid, {@code kind} = {@code event_type}. As in
 * Monitor, {@code level} and {@code data} are left out when absent and a missing message is
 * written as {@code ""} (Monitor's {@code message} is required).
 */
@JsonSerialize(using = UpdateView.Serializer.class)
public record UpdateView(
        long seq,
        String id,
        String taskId,
        String source,
        long timestampMicros,
        String message,
        String kind,
        Level level,
        String tagsJson,
        String dataJson) {

    /** The view of a stored event; {@code taskId} is the event's {@code task_id}. */
    public static UpdateView of(StoredEvent e, String taskId) {
        return new UpdateView(e.id(), e.uuid(), taskId, e.source(), e.timestampMicros(), e.message(), e.eventType(),
                e.level(), e.tagsJson(), e.dataJson());
    }

    /** Writes the view to a bare generator (for SSE frames). */
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", seq);
        g.writeStringField("id", id);
        g.writeStringField("task_id", taskId);
        g.writeStringField("source", source);
        g.writeStringField("timestamp", Timestamps.format(timestampMicros));
        g.writeStringField("message", message == null ? "" : message);
        g.writeStringField("kind", kind);
        if (level != null) {
            g.writeStringField("level", level.json());
        }
        g.writeFieldName("tags");
        g.writeRawValue(tagsJson == null ? "[]" : tagsJson);
        if (dataJson != null) {
            g.writeFieldName("data");
            g.writeRawValue(dataJson);
        }
        g.writeEndObject();
    }

    public static final class Serializer extends StdSerializer<UpdateView> {
        public Serializer() {
            super(UpdateView.class);
        }

        @Override
        public void serialize(UpdateView u, JsonGenerator g, SerializerProvider provider) throws IOException {
            u.write(g);
        }
    }
}
