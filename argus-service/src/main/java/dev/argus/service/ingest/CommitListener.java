package dev.argus.service.ingest;

import dev.argus.service.core.StoredEvent;

import java.util.List;

/**
 * Told about events right after the transaction holding them committed, on the writer thread:
 * implementations must only hand the events off (never block, never throw).
 */
public interface CommitListener {
    void committed(List<StoredEvent> events);

    /**
     * The same, with the messages {@link CommitParticipant}s returned for this commit (empty when
     * none). By default only the events are passed on.
     */
    default void committed(List<StoredEvent> events, List<Object> derived) {
        if (!events.isEmpty()) {
            committed(events);
        }
    }
}
