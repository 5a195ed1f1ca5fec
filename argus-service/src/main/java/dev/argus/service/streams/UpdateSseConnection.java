package dev.argus.service.streams;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.UpdateReader;
import dev.argus.service.streams.Outbox.Control;
import dev.argus.service.streams.Outbox.EventItem;
import dev.argus.service.streams.Outbox.Truncated;
import dev.argus.service.work.UpdateView;
import dev.argus.service.work.WorkJson;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One {@code GET /api/stream} response (SPEC §13.2): the {@code /events/stream} machinery
 * (bounded outbox, non-blocking writes, replay-then-live without gap, lagged notice, keep-alive
 * comments) with the Monitor frames: {@code event: update} with {@code id: <seq>} and the update
 * view, a replay of at most 1,000 updates followed by {@code event: catchup_overflow} when more
 * remain, and the task/workstream state events without an id.
 */
final class UpdateSseConnection extends SseConnection {
    /** Most updates replayed on resume (SPEC §13.2). */
    static final int UPDATE_REPLAY_LIMIT = 1_000;

    private final UpdateReader.Query query;

    UpdateSseConnection(StreamServices services, AsyncContext async, ServletOutputStream out, Runnable closeTransport,
                        UpdateReader reader, UpdateReader.Query query) {
        super(services, async, out, closeTransport, feed(reader, query));
        this.query = query;
    }

    /** Updates only: the replay from {@code reader} and the live events that {@code query} matches; no lifecycle messages. */
    private static Feed feed(UpdateReader reader, UpdateReader.Query query) {
        return new Feed() {
            @Override
            public int replayLimit() {
                return UPDATE_REPLAY_LIMIT;
            }

            @Override
            public List<StoredEvent> replay(EventFilter filter, long afterId, int limit) {
                return reader.find(query, afterId, limit);
            }

            @Override
            public boolean admits(EventFilter filter, StoredEvent e) {
                return query.matches(e);
            }

            @Override
            public boolean admits(EventFilter filter, LifecycleFrame f) {
                return false;
            }
        };
    }

    /** Subscribes (every update event is filtered by the query), replaying from {@code afterSeq} when given. */
    void subscribeFrom(Long afterSeq) {
        subscribeFrom(EventFilter.ALL, afterSeq);
    }

    /** Whether a task state event goes to this client: no filter, or its task_id filter names the task. */
    boolean wantsTask(String taskId) {
        return query.isEmpty() || query.taskIds().contains(taskId);
    }

    /** Whether a workstream state event goes to this client: only with no filter. */
    boolean wantsWorkstreams() {
        return query.isEmpty();
    }

    /** Queues a state event ({@code task_created}, …) as a named frame without an id. */
    void sendState(String type, String json) {
        send(new Control(SseFormat.named(type, json)));
    }

    @Override
    protected String encode(Object item) {
        if (item instanceof EventItem e) {
            return frame(e.frame().event());
        } else if (item instanceof Truncated t) {
            return SseFormat.named("catchup_overflow", "{\"replayed\":" + UPDATE_REPLAY_LIMIT
                    + ",\"resume_after_seq\":" + t.resumeAfterId() + '}');
        }
        return super.encode(item);
    }

    static String frame(StoredEvent e) {
        StringWriter w = new StringWriter(320);
        try (JsonGenerator g = WorkJson.MAPPER.getFactory().createGenerator(w)) {
            UpdateView.of(e, e.agent().taskId()).write(g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return "id: " + e.id() + "\nevent: update\n" + SseFormat.data(w.toString()) + '\n';
    }
}
