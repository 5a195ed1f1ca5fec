package dev.argus.service.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/**
 * JSON reading and the field rules shared by the {@code /api} request bodies. Numbers are read
 * exactly (no rounding through {@code double}, trailing zeros kept) so that {@code metadata} and
 * {@code data} come back as they were sent; member order is kept.
 */
public final class WorkJson {
    /** Reads bodies and writes stored JSON values back. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** Longest workstream or task name, in characters (code points) after trimming. */
    public static final int MAX_NAME = 200;

    private WorkJson() {
    }

    /**
     * Parses a request body that must be a JSON object.
     *
     * @throws WorkRequestException 400 when it is empty or not JSON, 422 when it is JSON but not an object
     */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw new WorkRequestException(400, null, "empty body: expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new WorkRequestException(400, null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new WorkRequestException(400, null, "malformed JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new WorkRequestException(400, null, "empty body: expected a JSON object");
        }
        if (!node.isObject()) {
            throw WorkRequestException.invalid(null, "the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Compact JSON text of a stored value. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads stored JSON text back (for serializing a stored object). */
    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable", e);
        }
    }

    /** 422 naming the first member not in {@code allowed}. */
    static void onlyFields(ObjectNode body, Set<String> allowed) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw WorkRequestException.invalid(name, "unknown field '" + name + "'");
            }
        }
    }

    /** Whether the member is absent or JSON null (both mean "unchanged" in a PATCH). */
    static boolean absent(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull();
    }

    /** A string member (no coercion from other types). */
    static String string(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isTextual()) {
            throw WorkRequestException.invalid(field, "'" + field + "' must be a string");
        }
        return v.textValue();
    }

    /** A required string member. */
    static String requiredString(JsonNode body, String field) {
        if (absent(body, field)) {
            throw WorkRequestException.invalid(field, "'" + field + "' is required");
        }
        return string(body, field);
    }

    /** A name: a string of 1–200 characters after trimming; stored trimmed. */
    static String name(JsonNode body, String field) {
        String name = string(body, field).strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            throw WorkRequestException.invalid(field, "'" + field + "' must be 1-" + MAX_NAME + " characters");
        }
        return name;
    }

    /** An id member that must be a UUID (ids are made by the server); returned in lower case. */
    static String uuid(JsonNode body, String field) {
        String value = string(body, field).strip();
        if (!isUuid(value)) {
            throw WorkRequestException.invalid(field, "'" + field + "' must be a UUID");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether {@code s} is a UUID in its 36-character text form. */
    public static boolean isUuid(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A {@code metadata} member: a JSON object, returned as compact text. */
    static String metadata(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isObject()) {
            throw WorkRequestException.invalid(field, "'" + field + "' must be a JSON object");
        }
        return write(v);
    }
}
