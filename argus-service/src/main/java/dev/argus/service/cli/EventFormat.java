package dev.argus.service.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Terminal rendering of events: an aligned table, one line per live event, and the raw JSON texts. */
final class EventFormat {
    private static final String[] HEADER = {"ID", "TIMESTAMP", "LEVEL", "SOURCE", "EVENT_TYPE", "MESSAGE"};
    private static final JsonFactory FACTORY = new JsonFactory();

    private EventFormat() {
    }

    /** Rows aligned on every column but the last; a missing value prints as "-", control characters as spaces. */
    static List<String> table(List<JsonNode> events) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode e : events) {
            rows.add(new String[] {e.path("id").asText(), text(e.get("timestamp")), level(e), text(e.get("source")),
                    text(e.get("event_type")), text(e.get("message"))});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].codePointCount(0, r[i].length()) + 2));
                }
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    /** {@code 2026-11-21T12:34:56.123456Z INFO  source/type message} */
    static String line(JsonNode e) {
        String level = level(e);
        StringBuilder sb = new StringBuilder();
        sb.append(text(e.get("timestamp"))).append(' ').append(level).append(" ".repeat(Math.max(1, 6 - level.length())))
                .append(text(e.get("source"))).append('/').append(text(e.get("event_type")));
        JsonNode m = e.get("message");
        if (m != null && !m.isNull()) {
            sb.append("  ").append(text(m));
        }
        return sb.toString();
    }

    private static String level(JsonNode e) {
        JsonNode l = e.get("level");
        return l == null || l.isNull() ? "-" : l.asText().toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return "-";
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return sb.toString();
    }

    /** The exact texts of the elements of the array field {@code field} of a JSON object (no number rounding). */
    static List<String> rawElements(String json, String field) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!name.equals(field) || t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getCharOffset();
                    out.add(json.substring(start, end));
                }
            }
        }
        return out;
    }
}
