package dev.argus.service.work;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.argus.service.core.Timestamps;

import java.io.IOException;

/**
 * A workstream (SPEC §13.1). Times are epoch microseconds, written in §2's format;
 * {@code metadataJson} is the stored JSON object text, written back as it was sent.
 */
@JsonSerialize(using = Workstream.Serializer.class)
public record Workstream(
        String id,
        String name,
        WorkstreamStatus status,
        String metadataJson,
        long createdAt,
        long updatedAt) {

    /** Writes {@code {id, name, status, metadata, created_at, updated_at}}. */
    public static final class Serializer extends StdSerializer<Workstream> {
        public Serializer() {
            super(Workstream.class);
        }

        @Override
        public void serialize(Workstream w, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("id", w.id());
            g.writeStringField("name", w.name());
            g.writeStringField("status", w.status().json());
            g.writeFieldName("metadata");
            g.writeRawValue(w.metadataJson() == null ? "{}" : w.metadataJson());
            g.writeStringField("created_at", Timestamps.format(w.createdAt()));
            g.writeStringField("updated_at", Timestamps.format(w.updatedAt()));
            g.writeEndObject();
        }
    }
}
