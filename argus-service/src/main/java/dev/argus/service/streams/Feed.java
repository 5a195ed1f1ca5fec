package dev.argus.service.streams;

import dev.argus.service.core.EventFilter;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;

import java.util.List;

/**
 * What a stream client's subscription is fed from: how many stored events a resume replays and
 * where they come from, and which live events and lifecycle messages it takes. {@code /ws} and
 * {@code /events/stream} use {@link #events}; {@code /api/stream} has its own (updates only).
 */
interface Feed {
    /** Most stored events replayed for one subscribe. */
    int replayLimit();

    /** Stored events with {@code id > afterId} admitted by the subscription, oldest first, at most {@code limit}. */
    List<StoredEvent> replay(EventFilter filter, long afterId, int limit);

    /** Whether a live event goes to the subscription (called under the outbox lock; must be cheap). */
    default boolean admits(EventFilter filter, StoredEvent e) {
        return filter.matches(e);
    }

    /** Whether a live lifecycle message (SPEC §12.3) goes to the subscription. */
    default boolean admits(EventFilter filter, LifecycleFrame f) {
        return f.admittedBy(filter);
    }

    /** The event streams (SPEC §4, §5): every stored event, filtered by the subscription. */
    static Feed events(EventReader reader) {
        return new Feed() {
            @Override
            public int replayLimit() {
                return Outbox.REPLAY_LIMIT;
            }

            @Override
            public List<StoredEvent> replay(EventFilter filter, long afterId, int limit) {
                return reader.findAfter(filter, afterId, limit);
            }
        };
    }
}
