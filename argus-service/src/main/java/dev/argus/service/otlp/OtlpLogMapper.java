package dev.argus.service.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.EventRules;
import dev.argus.service.core.Level;
import dev.argus.service.core.NewEvent;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the log records of one OTLP export into Argus events by the mapping of SPEC §16, checking
 * each against the event rules of §2: a record that breaks one is left out and counted, with why.
 */
public final class OtlpLogMapper {
    /** How many rejection reasons the partial-success message spells out. */
    static final int MAX_REASONS = 5;
    static final String DEFAULT_SOURCE = "otlp";
    static final String DEFAULT_EVENT_TYPE = "log";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final JsonFactory factory;

    public OtlpLogMapper(JsonFactory factory) {
        this.factory = factory;
    }

    /** The events to store, in request order, and what was refused. */
    public record Result(List<NewEvent> events, int rejected, List<String> reasons) {
        /** The partial-success message: how many were rejected and why (the first few reasons). */
        public String errorMessage() {
            StringBuilder b = new StringBuilder();
            b.append(rejected).append(rejected == 1 ? " log record" : " log records")
                    .append(" rejected by Argus's event rules: ");
            b.append(String.join("; ", reasons));
            if (rejected > reasons.size()) {
                b.append("; and ").append(rejected - reasons.size()).append(" more");
            }
            return b.toString();
        }
    }

    public Result map(ExportLogsServiceRequest request, long nowMicros) {
        List<NewEvent> events = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int rejected = 0;
        int index = 0;
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Resource resource = rl.getResource();
            String source = DEFAULT_SOURCE;
            String sourceProblem = null;
            AnyValue serviceName = find(resource.getAttributesList(), "service.name");
            if (serviceName != null) {
                source = text(serviceName).strip();
                String p = EventRules.nameProblem(source);
                if (p != null) {
                    sourceProblem = "source (resource attribute service.name) " + p;
                }
            }
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord record : sl.getLogRecordsList()) {
                    String problem = sourceProblem;
                    NewEvent event = null;
                    if (problem == null) {
                        Mapped m = mapRecord(record, source, resource, sl.getScope(), nowMicros);
                        event = m.event;
                        problem = m.problem;
                    }
                    if (event != null) {
                        events.add(event);
                    } else {
                        rejected++;
                        if (reasons.size() < MAX_REASONS) {
                            reasons.add("log record " + index + ": " + problem);
                        }
                    }
                    index++;
                }
            }
        }
        return new Result(events, rejected, reasons);
    }

    private record Mapped(NewEvent event, String problem) {
    }

    private Mapped mapRecord(LogRecord record, String source, Resource resource, InstrumentationScope scope,
                             long nowMicros) {
        String eventType;
        String typeOrigin;
        if (!record.getEventName().isEmpty()) {
            eventType = record.getEventName().strip();
            typeOrigin = "event_type (field event_name) ";
        } else {
            AnyValue name = find(record.getAttributesList(), "event.name");
            eventType = name == null ? DEFAULT_EVENT_TYPE : text(name).strip();
            typeOrigin = "event_type (attribute event.name) ";
        }
        String p = EventRules.nameProblem(eventType);
        if (p != null) {
            return new Mapped(null, typeOrigin + p);
        }

        int severity = record.getSeverityNumberValue();
        if (severity < 0 || severity > 24) {
            return new Mapped(null, "level: severity_number " + severity + " is outside 0-24");
        }
        Level level = severity == 0 ? null : Level.ofOrdinal((severity - 1) / 4);

        String message = null;
        if (record.hasBody() && record.getBody().getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET) {
            message = text(record.getBody()).strip();
        }

        String sessionId = null;
        AnyValue session = find(record.getAttributesList(), "session.id");
        if (session != null) {
            sessionId = text(session).strip();
            p = EventRules.lengthProblem(sessionId, EventParser.MAX_SESSION_ID_LENGTH);
            if (p != null) {
                return new Mapped(null, "session_id (attribute session.id) " + p);
            }
        }

        long timestamp;
        if (record.getTimeUnixNano() != 0) {
            timestamp = Long.divideUnsigned(record.getTimeUnixNano(), 1000L);
        } else if (record.getObservedTimeUnixNano() != 0) {
            timestamp = Long.divideUnsigned(record.getObservedTimeUnixNano(), 1000L);
        } else {
            timestamp = nowMicros;
        }

        DataJson data = data(record, resource, scope);
        if (data.depth > EventParser.MAX_DATA_DEPTH) {
            return new Mapped(null, "data (attributes and resource) nesting depth must be at most "
                    + EventParser.MAX_DATA_DEPTH);
        }
        return new Mapped(new NewEvent(source, eventType, level, message, timestamp, data.json, List.of(), "[]",
                sessionId, null), null);
    }

    private record DataJson(String json, int depth) {
    }

    /** {@code {"attributes":{…},"resource":{…},"scope":{…},"trace_id":…,"span_id":…}}, absent parts left out. */
    private DataJson data(LogRecord record, Resource resource, InstrumentationScope scope) {
        boolean hasScope = !scope.getName().isEmpty() || !scope.getVersion().isEmpty();
        boolean hasTrace = !isZero(record.getTraceId());
        boolean hasSpan = !isZero(record.getSpanId());
        if (record.getAttributesCount() == 0 && resource.getAttributesCount() == 0 && !hasScope && !hasTrace
                && !hasSpan) {
            return new DataJson(null, 0);
        }
        StringWriter w = new StringWriter(256);
        int depth = 1;
        try (JsonGenerator g = factory.createGenerator(w)) {
            g.writeStartObject();
            if (record.getAttributesCount() > 0) {
                g.writeFieldName("attributes");
                depth = Math.max(depth, writeAttributes(g, record.getAttributesList(), 2));
            }
            if (resource.getAttributesCount() > 0) {
                g.writeFieldName("resource");
                depth = Math.max(depth, writeAttributes(g, resource.getAttributesList(), 2));
            }
            if (hasScope) {
                depth = Math.max(depth, 2);
                g.writeObjectFieldStart("scope");
                if (!scope.getName().isEmpty()) {
                    g.writeStringField("name", scope.getName());
                }
                if (!scope.getVersion().isEmpty()) {
                    g.writeStringField("version", scope.getVersion());
                }
                g.writeEndObject();
            }
            if (hasTrace) {
                g.writeStringField("trace_id", hex(record.getTraceId()));
            }
            if (hasSpan) {
                g.writeStringField("span_id", hex(record.getSpanId()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DataJson(w.toString(), depth);
    }

    /** Writes key/values as one JSON object at {@code depth}; returns the deepest level written. */
    private static int writeAttributes(JsonGenerator g, List<KeyValue> attributes, int depth) throws IOException {
        int max = depth;
        g.writeStartObject();
        for (KeyValue kv : attributes) {
            g.writeFieldName(kv.getKey());
            max = Math.max(max, writeValue(g, kv.getValue(), depth));
        }
        g.writeEndObject();
        return max;
    }

    /** Writes an AnyValue as natural JSON inside a container at {@code depth}; returns the deepest level. */
    private static int writeValue(JsonGenerator g, AnyValue v, int depth) throws IOException {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                g.writeString(v.getStringValue());
                return depth;
            case BOOL_VALUE:
                g.writeBoolean(v.getBoolValue());
                return depth;
            case INT_VALUE:
                g.writeNumber(v.getIntValue());
                return depth;
            case DOUBLE_VALUE:
                g.writeNumber(v.getDoubleValue());
                return depth;
            case BYTES_VALUE: {
                byte[] b = v.getBytesValue().toByteArray();
                g.writeBinary(b, 0, b.length);
                return depth;
            }
            case ARRAY_VALUE: {
                int max = depth + 1;
                g.writeStartArray();
                for (AnyValue e : v.getArrayValue().getValuesList()) {
                    max = Math.max(max, writeValue(g, e, depth + 1));
                }
                g.writeEndArray();
                return max;
            }
            case KVLIST_VALUE:
                return writeAttributes(g, v.getKvlistValue().getValuesList(), depth + 1);
            default:
                g.writeNull();
                return depth;
        }
    }

    /** A string as is; any other value as its natural JSON text. */
    String text(AnyValue v) {
        if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            return v.getStringValue();
        }
        StringWriter w = new StringWriter(64);
        try (JsonGenerator g = factory.createGenerator(w)) {
            writeValue(g, v, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static AnyValue find(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (key.equals(kv.getKey())) {
                return kv.getValue();
            }
        }
        return null;
    }

    private static boolean isZero(ByteString id) {
        for (int i = 0; i < id.size(); i++) {
            if (id.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    static String hex(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int b = bytes.byteAt(i) & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out);
    }
}
