package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.Level;
import dev.argus.service.core.QueryParameters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket {@code subscribe} message (SPEC §4): the live filters, each a string or an array of
 * strings, with the meaning of {@code GET /events}; an optional {@code after_id}. Unknown filter
 * names are refused, as unknown query parameters are: a typo must not widen a subscription.
 *
 * @param activeFilters the filters as applied, in the shape they were sent (string or array),
 *                      values trimmed, levels in their canonical lower-case form, empty ones left out
 */
record SubscribeRequest(EventFilter filter, Long afterId, ObjectNode activeFilters) {

    /** A subscribe message the server refuses; the message is sent back to the client. */
    static final class InvalidSubscribeException extends Exception {
        InvalidSubscribeException(String message) {
            super(message, null, false, false);
        }
    }

    static SubscribeRequest parse(JsonNode msg) throws InvalidSubscribeException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        ObjectNode active = JsonNodeFactory.instance.objectNode();
        JsonNode filters = msg.get("filters");
        if (filters != null && !filters.isNull()) {
            if (!filters.isObject()) {
                throw new InvalidSubscribeException("filters must be a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                if (!QueryParameters.FILTER_NAMES.contains(name)) {
                    throw new InvalidSubscribeException("unknown filter '" + name + "'; allowed: "
                            + String.join(", ", QueryParameters.FILTER_NAMES.stream().sorted().toList()));
                }
                JsonNode value = field.getValue();
                if (value.isNull()) {
                    continue;
                }
                List<String> values = new ArrayList<>();
                if (value.isTextual()) {
                    values.add(value.textValue());
                } else if (value.isArray()) {
                    for (JsonNode v : value) {
                        if (!v.isTextual()) {
                            throw new InvalidSubscribeException("filter '" + name + "' must be a string or an array of strings");
                        }
                        values.add(v.textValue());
                    }
                } else {
                    throw new InvalidSubscribeException("filter '" + name + "' must be a string or an array of strings");
                }
                params.put(name, values);
                echo(active, name, value.isArray(), values);
            }
        }
        EventFilter filter;
        try {
            filter = QueryParameters.parseFilter(params);
        } catch (QueryParameters.InvalidParameterException e) {
            throw new InvalidSubscribeException(e.getMessage());
        }
        return new SubscribeRequest(filter, afterId(msg.get("after_id")), active);
    }

    private static void echo(ObjectNode active, String name, boolean array, List<String> values) {
        List<String> kept = new ArrayList<>(values.size());
        for (String v : values) {
            if (v.isEmpty()) {
                continue;
            }
            if (name.equals("level") || name.equals("min_level")) {
                Level l = Level.parse(v);
                kept.add(l == null ? v : l.json());
            } else {
                kept.add(name.equals("q") ? v : v.strip());
            }
        }
        if (kept.isEmpty()) {
            return;
        }
        if (array) {
            ArrayNode a = active.putArray(name);
            kept.forEach(a::add);
        } else {
            active.put(name, kept.get(0));
        }
    }

    private static Long afterId(JsonNode v) throws InvalidSubscribeException {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                long id = Long.parseLong(v.textValue().strip());
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
        }
        throw new InvalidSubscribeException("after_id must be a non-negative integer");
    }
}
