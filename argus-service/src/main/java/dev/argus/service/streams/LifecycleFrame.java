package dev.argus.service.streams;

import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.storage.LiveJournal;
import dev.argus.service.core.EventFilter;

import java.util.List;

/**
 * One session or agent lifecycle message (SPEC §12.3) on its way to the streams, encoded once for
 * every client: WebSocket text {@code {"type":T,"payload":{...}}}, SSE {@code event: session} or
 * {@code event: agent} with the same object as data and no {@code id:} line (the client's
 * Last-Event-ID stays its last event's).
 */
final class LifecycleFrame {
    private final String source;
    private final String sessionId;
    private final String sseEvent;
    private final String json;

    LifecycleFrame(LifecycleMessage message) {
        this(message.source(), message.sessionId(), message.sseEvent(), message.toJson());
    }

    /** A message another instance's commit derived, read back from the journal (SPEC §15). */
    LifecycleFrame(LiveJournal.Entry entry) {
        this(entry.source(), entry.sessionId(), entry.sseEvent(), entry.frame());
    }

    private LifecycleFrame(String source, String sessionId, String sseEvent, String json) {
        this.source = source;
        this.sessionId = sessionId;
        this.sseEvent = sseEvent;
        this.json = json;
    }

    /** Whether a subscription's {@code source} and {@code session_id} filters admit the session (its other filters do not apply). */
    boolean admittedBy(EventFilter filter) {
        List<Object> sources = filter.values(EventFilter.Field.SOURCE);
        if (!sources.isEmpty() && !sources.contains(source)) {
            return false;
        }
        List<Object> sessions = filter.values(EventFilter.Field.SESSION_ID);
        return sessions.isEmpty() || sessions.contains(sessionId);
    }

    String wsText() {
        return json;
    }

    String sseText() {
        return SseFormat.named(sseEvent, json);
    }
}
