package dev.argus.service.storage;

import dev.argus.service.agents.Agent;
import dev.argus.service.agents.AgentStatus;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;

import java.util.List;

/** The read side of sessions and agents (SPEC §12.3), on the read pool. */
public interface SessionReader {
    /** Sessions, most recent activity first; {@code status}/{@code project} null for any. */
    List<Session> sessions(SessionStatus status, String project, int limit);

    /** The session, or null. */
    Session session(String id);

    /** Agents in creation order; {@code sessionId}/{@code status} null for any. */
    List<Agent> agents(String sessionId, AgentStatus status, int limit);

    /** Whether {@code taskId} names a task (SPEC §13). */
    boolean taskExists(String taskId);
}
