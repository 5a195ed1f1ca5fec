package dev.argus.service.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/** Writes the wire form of an event (SPEC §2): every field present, absent ones as null, tags as []. */
public final class StoredEventSerializer extends StdSerializer<StoredEvent> {
    public StoredEventSerializer() {
        super(StoredEvent.class);
    }

    @Override
    public void serialize(StoredEvent e, JsonGenerator g, SerializerProvider provider) throws IOException {
        write(e, g);
    }

    /** The same form, for callers that hold a bare generator (streams). */
    public static void write(StoredEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", e.id());
        g.writeStringField("source", e.source());
        g.writeStringField("event_type", e.eventType());
        g.writeFieldName("level");
        if (e.level() == null) {
            g.writeNull();
        } else {
            g.writeString(e.level().json());
        }
        g.writeFieldName("message");
        writeNullable(g, e.message());
        g.writeStringField("timestamp", Timestamps.format(e.timestampMicros()));
        g.writeStringField("received_at", Timestamps.format(e.receivedAtMicros()));
        g.writeFieldName("data");
        if (e.dataJson() == null) {
            g.writeNull();
        } else {
            g.writeRawValue(e.dataJson());
        }
        g.writeFieldName("tags");
        g.writeRawValue(e.tagsJson() == null ? "[]" : e.tagsJson());
        g.writeFieldName("session_id");
        writeNullable(g, e.sessionId());
        g.writeFieldName("uuid");
        writeNullable(g, e.uuid());
        AgentFields a = e.agent();
        g.writeFieldName("hook");
        writeNullable(g, a.hook());
        g.writeFieldName("tool_name");
        writeNullable(g, a.toolName());
        g.writeFieldName("tool_use_id");
        writeNullable(g, a.toolUseId());
        g.writeFieldName("agent_id");
        writeNullable(g, a.agentId());
        g.writeFieldName("status");
        writeNullable(g, a.status());
        g.writeFieldName("is_background");
        if (a.isBackground() == null) {
            g.writeNull();
        } else {
            g.writeBoolean(a.isBackground());
        }
        g.writeFieldName("task_id");
        writeNullable(g, a.taskId());
        g.writeEndObject();
    }

    private static void writeNullable(JsonGenerator g, String value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }
}
