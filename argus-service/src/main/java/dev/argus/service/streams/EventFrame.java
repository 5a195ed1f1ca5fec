package dev.argus.service.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.StoredEventSerializer;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One committed event on its way to the streams, serialized at most once however many clients
 * receive it. The cached forms are immutable strings, so a benign race only costs a second
 * serialization, never a wrong answer.
 */
final class EventFrame {
    private final StoredEvent event;
    private final JsonFactory factory;
    private final long committedNanos;
    private String json;
    private String wsText;
    private String sseText;

    EventFrame(StoredEvent event, JsonFactory factory, long committedNanos) {
        this.event = event;
        this.factory = factory;
        this.committedNanos = committedNanos;
    }

    /** {@code System.nanoTime()} when the writer handed the committed batch over (0 for replayed events). */
    long committedNanos() {
        return committedNanos;
    }

    long id() {
        return event.id();
    }

    StoredEvent event() {
        return event;
    }

    /** The wire form of the event (SPEC §2), exactly as {@code GET /events/{id}} writes it. */
    String json() {
        String j = json;
        if (j == null) {
            StringWriter w = new StringWriter(256);
            try (JsonGenerator g = factory.createGenerator(w)) {
                StoredEventSerializer.write(event, g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            j = w.toString();
            json = j;
        }
        return j;
    }

    /** {@code {"type":"event","event":{...}}}. */
    String wsText() {
        String t = wsText;
        if (t == null) {
            t = "{\"type\":\"event\",\"event\":" + json() + '}';
            wsText = t;
        }
        return t;
    }

    /** {@code id: N\nevent: event\ndata: {...}\n\n}; {@code data} may hold raw newlines, so it is split into lines. */
    String sseText() {
        String t = sseText;
        if (t == null) {
            t = "id: " + event.id() + "\nevent: event\n" + SseFormat.data(json()) + '\n';
            sseText = t;
        }
        return t;
    }
}
