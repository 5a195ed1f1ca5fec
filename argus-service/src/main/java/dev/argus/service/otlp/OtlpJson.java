package dev.argus.service.otlp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;

import java.io.IOException;
import java.util.Base64;

/**
 * OTLP's JSON encoding of the logs export (OTLP/HTTP "JSON Protobuf Encoding"): protobuf's JSON
 * mapping except that trace and span ids are hex strings, not base64. Ids are turned into base64
 * first so that protobuf's own {@link JsonFormat} does the rest (int64 as string or number, enums
 * as numbers or names, camelCase or original field names, unknown fields ignored). JsonFormat's
 * fixed limit of 100 nested messages (about 32 levels of kvlist values) makes deeper JSON a 400.
 */
public final class OtlpJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final ObjectMapper mapper;
    private final ObjectReader reader;

    public OtlpJson(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Thrown for a body that is not an OTLP JSON logs export (answered 400). */
    public static final class NotOtlpException extends Exception {
        public NotOtlpException(String message) {
            super(message, null, false, false);
        }
    }

    public ExportLogsServiceRequest parse(byte[] body, int length) throws NotOtlpException {
        JsonNode root;
        try {
            root = reader.readTree(new java.io.ByteArrayInputStream(body, 0, length));
        } catch (IOException e) {
            throw new NotOtlpException("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new NotOtlpException("request body is empty");
        }
        if (!(root instanceof ObjectNode obj)) {
            throw new NotOtlpException("not an OTLP logs export: expected a JSON object with resourceLogs");
        }
        JsonNode resourceLogs = obj.has("resourceLogs") ? obj.get("resourceLogs") : obj.get("resource_logs");
        if (resourceLogs == null && obj.size() > 0) {
            throw new NotOtlpException("not an OTLP logs export: no resourceLogs field");
        }
        if (resourceLogs != null && !resourceLogs.isArray() && !resourceLogs.isNull()) {
            throw new NotOtlpException("not an OTLP logs export: resourceLogs must be an array");
        }
        if (resourceLogs != null) {
            for (JsonNode rl : resourceLogs) {
                for (JsonNode sl : either(rl, "scopeLogs", "scope_logs")) {
                    for (JsonNode record : either(sl, "logRecords", "log_records")) {
                        if (record instanceof ObjectNode r) {
                            hexToBase64(r, "traceId", "trace_id");
                            hexToBase64(r, "spanId", "span_id");
                        }
                    }
                }
            }
        }
        ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
        try {
            PARSER.merge(mapper.writeValueAsString(obj), b);
        } catch (InvalidProtocolBufferException e) {
            throw new NotOtlpException("not an OTLP logs export: " + firstLine(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            // JsonFormat lets some type mismatches escape as runtime exceptions from its JSON reader.
            throw new NotOtlpException("not an OTLP logs export: " + firstLine(String.valueOf(e.getMessage())));
        }
        return b.build();
    }

    public byte[] print(ExportLogsServiceResponse response) {
        try {
            return PRINTER.print(response).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Iterable<JsonNode> either(JsonNode parent, String camel, String snake) {
        if (!(parent instanceof ObjectNode o)) {
            return java.util.List.of();
        }
        JsonNode n = o.has(camel) ? o.get(camel) : o.get(snake);
        return n != null && n.isArray() ? n : java.util.List.of();
    }

    private static void hexToBase64(ObjectNode record, String camel, String snake) throws NotOtlpException {
        String field = record.has(camel) ? camel : snake;
        JsonNode v = record.get(field);
        if (v == null || !v.isTextual()) {
            return;
        }
        String hex = v.textValue();
        if (hex.length() % 2 != 0) {
            throw new NotOtlpException(camel + " '" + hex + "' is not a hex string");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new NotOtlpException(camel + " '" + hex + "' is not a hex string");
            }
            bytes[i] = (byte) (hi << 4 | lo);
        }
        record.set(field, TextNode.valueOf(Base64.getEncoder().encodeToString(bytes)));
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "unreadable";
        }
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
