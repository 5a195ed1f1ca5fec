package dev.argus.service.agents;

/**
 * One live message of SPEC §12.3, {@code {"type":T,"payload":{...}}}: a session's or an agent's
 * new state. {@link #source()} and {@link #sessionId()} are what a subscriber's filters are checked
 * against; {@link #toJson()} is the frame's text (WebSocket message, SSE {@code data:}).
 *
 * @param session the session's state after the change (also set for agent messages, for filtering)
 * @param agent   the agent's state for {@code agent_*} types, else null
 */
public record LifecycleMessage(Type type, Session session, Agent agent) {

    /** The message types, named as the Python Argus names them. */
    public enum Type {
        SESSION_STARTED("session_started"),
        SESSION_IDLE("session_idle"),
        SESSION_ACTIVE("session_active"),
        SESSION_ENDED("session_ended"),
        AGENT_STARTED("agent_started"),
        AGENT_ACTIVATED("agent_activated"),
        AGENT_COMPLETED("agent_completed"),
        AGENT_ABANDONED("agent_abandoned");

        private final String json;

        Type(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        /** True for {@code agent_*} types (SSE {@code event: agent}), false for {@code session_*} ({@code event: session}). */
        public boolean aboutAgent() {
            return name().startsWith("AGENT_");
        }
    }

    public String sessionId() {
        return session.id();
    }

    public String source() {
        return session.source();
    }

    /** The SSE event name: {@code session} or {@code agent}. */
    public String sseEvent() {
        return type.aboutAgent() ? "agent" : "session";
    }

    public String toJson() {
        return AgentsJson.lifecycle(this);
    }
}
