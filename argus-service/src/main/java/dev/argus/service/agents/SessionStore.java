package dev.argus.service.agents;

import java.util.List;

/**
 * The rows {@link SessionTracker} reads and writes. The SQL implementation runs every call on the
 * writer's connection inside the transaction that stores the event, so that an event and the state
 * it changes commit together (SPEC §12.3).
 */
public interface SessionStore {
    /** The session with this id, or null. */
    Session find(String id);

    /** The session's agents in creation order (the tracker's "oldest pending" is the first in this order). */
    List<Agent> agents(String sessionId);

    /** Inserts or replaces the session with this id. */
    void upsert(Session session);

    /** Inserts or replaces the agent with this id. */
    void upsert(Agent agent);

    /** Active sessions whose last event is at or before {@code cutoffMicros} (idle candidates). */
    List<Session> activeSince(long cutoffMicros);
}
