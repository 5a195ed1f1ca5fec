package dev.argus.service.sessions;

import dev.argus.service.agents.Agent;
import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionTracker;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.Timestamps;
import dev.argus.service.storage.WriteRunner;
import dev.argus.service.storage.WriterSessionStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Session changes that are not caused by an event ({@code PATCH /sessions/{id}}, idle detection):
 * each runs on the writer thread in a transaction of its own ({@link WriteRunner#execute}), and its
 * lifecycle messages are published once it committed. No SQL here: the work runs on
 * the storage's {@link WriterSessionStore} inside the writer's transaction.
 */
public final class SessionWrites {
    /** What a PATCH did. */
    public sealed interface PatchResult permits Patched, UnknownSession, UnknownTask {
    }

    /** The session after the change, with its agents. */
    public record Patched(Session session, List<Agent> agents) implements PatchResult {
    }

    public record UnknownSession() implements PatchResult {
    }

    /** The PATCH named a task that does not exist; nothing was changed. */
    public record UnknownTask() implements PatchResult {
    }

    private record Done(PatchResult result, List<LifecycleMessage> messages) {
    }

    private final WriteRunner engine;
    private final LifecyclePublisher publisher;
    private final WriterSessionStore.Factory stores;

    public SessionWrites(WriteRunner engine, LifecyclePublisher publisher, WriterSessionStore.Factory stores) {
        this.engine = engine;
        this.publisher = publisher;
        this.stores = stores;
    }

    /**
     * Sets the session's task and/or ends it (its open agents abandoned).
     *
     * @param taskId null to keep the task
     * @param end    whether to end the session
     */
    public PatchResult patch(String sessionId, String taskId, boolean end) throws StorageException {
        Done done = engine.execute(WriterSessionStore.task(stores, store -> {
            Session s = store.find(sessionId);
            if (s == null) {
                return new Done(new UnknownSession(), List.of());
            }
            if (taskId != null && !store.taskExists(taskId)) {
                return new Done(new UnknownTask(), List.of());
            }
            if (taskId != null && !taskId.equals(s.taskId())) {
                store.upsert(s.withTaskId(taskId));
            }
            List<LifecycleMessage> messages = List.of();
            if (end) {
                messages = SessionTracker.recordEnd(store, sessionId, Timestamps.nowMicros()).messages();
                store.journal(0, messages);
            }
            return new Done(new Patched(store.find(sessionId), store.agents(sessionId)), messages);
        }));
        publisher.publish(done.messages());
        return done.result();
    }

    /** Marks sessions idle that had no event for {@code idleMicros}; returns how many. */
    public int detectIdle(long idleMicros) throws StorageException {
        List<LifecycleMessage> messages = engine.execute(WriterSessionStore.task(stores, store -> {
            List<LifecycleMessage> out = new ArrayList<>();
            for (SessionTracker.Outcome o : SessionTracker.detectIdle(store,
                    Timestamps.nowMicros(), idleMicros)) {
                out.addAll(o.messages());
            }
            store.journal(0, out);
            return out;
        }));
        publisher.publish(messages);
        return messages.size();
    }
}
