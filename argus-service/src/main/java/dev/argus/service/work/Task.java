package dev.argus.service.work;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.argus.service.core.Timestamps;

import java.io.IOException;

/**
 * A task (SPEC §13.1). Times are epoch microseconds (null = absent), written in §2's format;
 * absent optional fields are left out of the JSON, as Monitor does.
 */
@JsonSerialize(using = Task.Serializer.class)
public record Task(
        String id,
        String workstreamId,
        String name,
        TaskStatus status,
        String summaryText,
        Long summaryUpdatedAt,
        String summarySource,
        Long hiddenAt,
        String metadataJson,
        long createdAt,
        long updatedAt) {

    public boolean hidden() {
        return hiddenAt != null;
    }

    /** Writes the task's JSON, omitting {@code summary_*} and {@code hidden_at} when absent. */
    public static final class Serializer extends StdSerializer<Task> {
        public Serializer() {
            super(Task.class);
        }

        @Override
        public void serialize(Task t, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("id", t.id());
            g.writeStringField("workstream_id", t.workstreamId());
            g.writeStringField("name", t.name());
            g.writeStringField("status", t.status().json());
            if (t.summaryText() != null) {
                g.writeStringField("summary_text", t.summaryText());
            }
            if (t.summaryUpdatedAt() != null) {
                g.writeStringField("summary_updated_at", Timestamps.format(t.summaryUpdatedAt()));
            }
            if (t.summarySource() != null) {
                g.writeStringField("summary_source", t.summarySource());
            }
            if (t.hiddenAt() != null) {
                g.writeStringField("hidden_at", Timestamps.format(t.hiddenAt()));
            }
            g.writeFieldName("metadata");
            g.writeRawValue(t.metadataJson() == null ? "{}" : t.metadataJson());
            g.writeStringField("created_at", Timestamps.format(t.createdAt()));
            g.writeStringField("updated_at", Timestamps.format(t.updatedAt()));
            g.writeEndObject();
        }
    }
}
