package dev.argus.service.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link SessionStore} in maps, for tests and for replaying stored events; not thread-safe. */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();

    @Override
    public Session find(String id) {
        return sessions.get(id);
    }

    @Override
    public List<Agent> agents(String sessionId) {
        List<Agent> out = new ArrayList<>();
        for (Agent a : agents.values()) {
            if (a.sessionId().equals(sessionId)) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public void upsert(Session session) {
        sessions.put(session.id(), session);
    }

    @Override
    public void upsert(Agent agent) {
        agents.put(agent.id(), agent);
    }

    @Override
    public List<Session> activeSince(long cutoffMicros) {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.status() == SessionStatus.ACTIVE && s.lastEventAt() <= cutoffMicros) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every session in creation order. */
    public List<Session> sessions() {
        return new ArrayList<>(sessions.values());
    }

    /** Every agent in creation order. */
    public List<Agent> allAgents() {
        return new ArrayList<>(agents.values());
    }
}
