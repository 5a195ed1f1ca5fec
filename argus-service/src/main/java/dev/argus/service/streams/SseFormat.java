package dev.argus.service.streams;

/** Text of the SSE wire format (WHATWG HTML, "Server-sent events"). */
final class SseFormat {
    private SseFormat() {
    }

    /**
     * {@code data:} lines for a payload. The client joins several {@code data:} lines with LF, so a
     * payload with line breaks (an event's {@code data} is stored as sent, whitespace and all)
     * arrives intact, and JSON allows LF wherever the producer had a line break.
     */
    static String data(String payload) {
        if (payload.indexOf('\n') < 0 && payload.indexOf('\r') < 0) {
            return "data: " + payload + '\n';
        }
        StringBuilder b = new StringBuilder(payload.length() + 32);
        int start = 0;
        int n = payload.length();
        for (int i = 0; i < n; i++) {
            char c = payload.charAt(i);
            if (c == '\n' || c == '\r') {
                b.append("data: ").append(payload, start, i).append('\n');
                if (c == '\r' && i + 1 < n && payload.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        b.append("data: ").append(payload, start, n).append('\n');
        return b.toString();
    }

    /** A named event with a JSON payload and no id (the client's Last-Event-ID stays the last event's). */
    static String named(String name, String json) {
        return "event: " + name + '\n' + data(json) + '\n';
    }
}
