package dev.argus.service.agents;

import dev.argus.service.core.Level;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The state machine of SPEC §12.3: sessions and subagents derived from events, with the lifecycle
 * messages each change causes. {@link #apply}, {@link #end} and {@link #idle} are pure functions of
 * the current rows; the {@code record…}/{@code detectIdle} variants load and write them through a
 * {@link SessionStore} (call them inside the writer's transaction).
 *
 * <p>Rules beyond the letter of §12.3, chosen to make replaying stored events give the same state:
 * <ul>
 *   <li>Any event with a {@code session_id} counts for an existing session; only an event with
 *       {@code hook} set creates one.</li>
 *   <li>An ended session stays ended (late events are still counted) unless a {@code SessionStart}
 *       arrives, which reopens it ({@code session_started} again, {@code ended_at} cleared).</li>
 *   <li>An agent started with no pending one gets {@code agent_started} and then
 *       {@code agent_activated}; a {@code SubagentStart} for an agent already running is ignored.</li>
 *   <li>A {@code PostToolUseFailure} after the agent completed turns it {@code failed}
 *       ({@code agent_completed} again, status failed); a {@code SubagentStop}/{@code PostToolUse}
 *       never changes a finished agent.</li>
 *   <li>{@code project} and {@code cwd} are taken from the first event that has them.</li>
 * </ul>
 */
public final class SessionTracker {
    /** The result of one step: the rows to write (session null when nothing changed) and the messages in order. */
    public record Outcome(Session session, List<Agent> agents, List<LifecycleMessage> messages) {
        public static final Outcome NONE = new Outcome(null, List.of(), List.of());

        public Outcome {
            agents = List.copyOf(agents);
            messages = List.copyOf(messages);
        }

        public boolean changed() {
            return session != null;
        }
    }

    private SessionTracker() {
    }

    /**
     * One event's effect.
     *
     * @param current the stored session with the event's {@code session_id}, or null
     * @param agents  that session's agents in creation order (empty when {@code current} is null)
     */
    public static Outcome apply(Session current, List<Agent> agents, TrackedEvent e) {
        if (e.sessionId() == null || current == null && e.hook() == null) {
            return Outcome.NONE;
        }
        long t = e.timeMicros();
        String hook = e.hook() == null ? "" : e.hook();
        List<LifecycleMessage.Type> sessionMessages = new ArrayList<>(2);
        Session s;
        if (current == null) {
            s = new Session(e.sessionId(), e.source(), projectOf(e), e.cwd(), e.taskId(), t, t, null,
                    SessionStatus.ACTIVE, 0, 0, 0, 0);
            sessionMessages.add(LifecycleMessage.Type.SESSION_STARTED);
        } else if (current.status() == SessionStatus.ENDED && hook.equals("SessionStart")) {
            s = current.withStatus(SessionStatus.ACTIVE, null);
            sessionMessages.add(LifecycleMessage.Type.SESSION_STARTED);
        } else if (current.status() == SessionStatus.IDLE) {
            s = current.withStatus(SessionStatus.ACTIVE, current.endedAt());
            sessionMessages.add(LifecycleMessage.Type.SESSION_ACTIVE);
        } else {
            s = current;
        }

        Work w = new Work(agents);
        if (hook.equals("PreToolUse") && e.toolName() != null
                && ClaudeHookMapper.SUBAGENT_TOOLS.contains(e.toolName()) && e.toolUseId() != null
                && w.byId(e.toolUseId()) < 0) {
            w.add(new Agent(e.toolUseId(), null, s.id(), e.agentId(), e.subagentType(), e.subagentName(),
                    AgentStatus.PENDING, t, null, 0), LifecycleMessage.Type.AGENT_STARTED);
        }
        if ((hook.equals("SubagentStart") || "activated".equals(e.status())) && e.agentId() != null
                && w.byAgentId(e.agentId()) < 0) {
            int i = w.oldestPending(e.agentType());
            if (i >= 0) {
                w.set(i, w.get(i).running(e.agentId()), LifecycleMessage.Type.AGENT_ACTIVATED);
            } else {
                Agent a = new Agent(e.agentId(), e.agentId(), s.id(), null, e.agentType(), null, AgentStatus.RUNNING,
                        t, null, 0);
                w.add(a, LifecycleMessage.Type.AGENT_STARTED);
                w.messages.add(new Pending(LifecycleMessage.Type.AGENT_ACTIVATED, a.id()));
            }
        }
        if (hook.equals("SubagentStop") && e.agentId() != null) {
            int i = w.byAgentId(e.agentId());
            if (i >= 0 && w.get(i).status().open()) {
                w.set(i, w.get(i).finished(AgentStatus.COMPLETED, t), LifecycleMessage.Type.AGENT_COMPLETED);
            }
        }
        if (e.toolUseId() != null && (hook.equals("PostToolUse") || hook.equals("PostToolUseFailure"))) {
            int i = w.byId(e.toolUseId());
            if (i >= 0) {
                Agent a = w.get(i);
                if (hook.equals("PostToolUse") && a.status().open()) {
                    w.set(i, a.finished(AgentStatus.COMPLETED, t), LifecycleMessage.Type.AGENT_COMPLETED);
                } else if (hook.equals("PostToolUseFailure")
                        && (a.status().open() || a.status() == AgentStatus.COMPLETED)) {
                    w.set(i, a.finished(AgentStatus.FAILED, t), LifecycleMessage.Type.AGENT_COMPLETED);
                }
            }
        }
        if (e.agentId() != null) {
            int i = w.byAgentId(e.agentId());
            if (i >= 0) {
                w.set(i, w.get(i).counted(), null);
            }
        }

        boolean ends = hook.equals("SessionEnd") && s.status() != SessionStatus.ENDED;
        if (ends) {
            w.abandonOpen(t);
        }
        s = new Session(s.id(), s.source(), s.project() != null ? s.project() : projectOf(e),
                s.cwd() != null ? s.cwd() : e.cwd(), s.taskId() != null ? s.taskId() : e.taskId(), s.startedAt(),
                Math.max(s.lastEventAt(), t), ends ? Long.valueOf(t) : s.endedAt(),
                ends ? SessionStatus.ENDED : s.status(), s.eventCount() + 1,
                s.toolCount() + (hook.equals("PreToolUse") ? 1 : 0),
                s.errorCount() + (e.level() != null && e.level().compareTo(Level.ERROR) >= 0 ? 1 : 0),
                s.agentCount() + w.added);
        if (ends) {
            sessionMessages.add(LifecycleMessage.Type.SESSION_ENDED);
        }
        return w.outcome(s, sessionMessages);
    }

    /** The event's project, else the last element of its {@code cwd}. */
    private static String projectOf(TrackedEvent e) {
        return e.project() != null ? e.project() : ClaudeHookMapper.projectOf(e.cwd(), null);
    }

    /**
     * Ends a session by request ({@code PATCH /sessions/{id}} with {@code "status":"ended"}): its open
     * agents are abandoned. An already ended session is returned unchanged with no messages.
     */
    public static Outcome end(Session current, List<Agent> agents, long nowMicros) {
        if (current.status() == SessionStatus.ENDED) {
            return new Outcome(current, List.of(), List.of());
        }
        Work w = new Work(agents);
        w.abandonOpen(nowMicros);
        return w.outcome(current.withStatus(SessionStatus.ENDED, nowMicros), List.of(LifecycleMessage.Type.SESSION_ENDED));
    }

    /**
     * Sessions that had no event for {@code idleMinutes}: each active one whose last event is at or
     * before {@code now - idleMinutes} becomes idle with a {@code session_idle} message.
     */
    public static List<Outcome> idle(List<Session> candidates, long nowMicros, int idleMinutes) {
        return idle(candidates, nowMicros, idleMinutes * 60_000_000L);
    }

    /** {@link #idle(List, long, int)} with the idle time in microseconds. */
    public static List<Outcome> idle(List<Session> candidates, long nowMicros, long idleMicros) {
        long cutoff = nowMicros - idleMicros;
        List<Outcome> out = new ArrayList<>();
        for (Session s : candidates) {
            if (s.status() == SessionStatus.ACTIVE && s.lastEventAt() <= cutoff) {
                Session idle = s.withStatus(SessionStatus.IDLE, s.endedAt());
                out.add(new Outcome(idle, List.of(),
                        List.of(new LifecycleMessage(LifecycleMessage.Type.SESSION_IDLE, idle, null))));
            }
        }
        return out;
    }

    public static long idleCutoff(long nowMicros, int idleMinutes) {
        return nowMicros - idleMinutes * 60_000_000L;
    }

    /** {@link #apply} with the rows loaded from and written to {@code store}. */
    public static Outcome record(SessionStore store, TrackedEvent e) {
        if (e.sessionId() == null) {
            return Outcome.NONE;
        }
        Session current = store.find(e.sessionId());
        Outcome o = apply(current, current == null ? List.of() : store.agents(e.sessionId()), e);
        write(store, o);
        return o;
    }

    /** {@link #end} through {@code store}; null when the session is unknown (404). */
    public static Outcome recordEnd(SessionStore store, String sessionId, long nowMicros) {
        Session current = store.find(sessionId);
        if (current == null) {
            return null;
        }
        Outcome o = end(current, store.agents(sessionId), nowMicros);
        write(store, o);
        return o;
    }

    /** {@link #idle} through {@code store}. */
    public static List<Outcome> detectIdle(SessionStore store, long nowMicros, int idleMinutes) {
        return detectIdle(store, nowMicros, idleMinutes * 60_000_000L);
    }

    /** {@link #detectIdle(SessionStore, long, int)} with the idle time in microseconds. */
    public static List<Outcome> detectIdle(SessionStore store, long nowMicros, long idleMicros) {
        List<Outcome> out = idle(store.activeSince(nowMicros - idleMicros), nowMicros, idleMicros);
        for (Outcome o : out) {
            write(store, o);
        }
        return out;
    }

    private static void write(SessionStore store, Outcome o) {
        if (o.session() != null) {
            store.upsert(o.session());
        }
        for (Agent a : o.agents()) {
            store.upsert(a);
        }
    }

    private record Pending(LifecycleMessage.Type type, String agentId) {
    }

    /** The agents being changed by one step, and the agent messages in order. */
    private static final class Work {
        private final List<Agent> agents;
        private final List<String> changed = new ArrayList<>();
        private final List<Pending> messages = new ArrayList<>();
        private int added;

        Work(List<Agent> agents) {
            this.agents = new ArrayList<>(agents);
        }

        Agent get(int i) {
            return agents.get(i);
        }

        void add(Agent a, LifecycleMessage.Type type) {
            agents.add(a);
            added++;
            touch(a.id(), type);
        }

        void set(int i, Agent a, LifecycleMessage.Type type) {
            agents.set(i, a);
            touch(a.id(), type);
        }

        private void touch(String id, LifecycleMessage.Type type) {
            if (!changed.contains(id)) {
                changed.add(id);
            }
            if (type != null) {
                messages.add(new Pending(type, id));
            }
        }

        int byId(String id) {
            for (int i = 0; i < agents.size(); i++) {
                if (agents.get(i).id().equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        int byAgentId(String agentId) {
            for (int i = 0; i < agents.size(); i++) {
                if (agentId.equals(agents.get(i).agentId())) {
                    return i;
                }
            }
            return -1;
        }

        /** The oldest pending agent of {@code type}, else the oldest pending one; -1 when none. */
        int oldestPending(String type) {
            int typed = type == null ? -1 : oldest(a -> type.equals(a.type()));
            return typed >= 0 ? typed : oldest(a -> true);
        }

        /** Earliest {@code startedAt} among pending agents matching {@code which}; ties go to creation order. */
        private int oldest(Predicate<Agent> which) {
            int best = -1;
            for (int i = 0; i < agents.size(); i++) {
                Agent a = agents.get(i);
                if (a.status() == AgentStatus.PENDING && which.test(a)
                        && (best < 0 || a.startedAt() < agents.get(best).startedAt())) {
                    best = i;
                }
            }
            return best;
        }

        void abandonOpen(long t) {
            for (int i = 0; i < agents.size(); i++) {
                if (agents.get(i).status().open()) {
                    set(i, agents.get(i).finished(AgentStatus.ABANDONED, t), LifecycleMessage.Type.AGENT_ABANDONED);
                }
            }
        }

        Outcome outcome(Session s, List<LifecycleMessage.Type> sessionMessages) {
            List<Agent> rows = new ArrayList<>(changed.size());
            for (String id : changed) {
                rows.add(agents.get(byId(id)));
            }
            List<LifecycleMessage> out = new ArrayList<>();
            boolean endsSession = false;
            for (LifecycleMessage.Type t : sessionMessages) {
                if (t == LifecycleMessage.Type.SESSION_ENDED) {
                    endsSession = true;
                } else {
                    out.add(new LifecycleMessage(t, s, null));
                }
            }
            for (Pending p : messages) {
                out.add(new LifecycleMessage(p.type(), s, snapshot(p, rows)));
            }
            if (endsSession) {
                out.add(new LifecycleMessage(LifecycleMessage.Type.SESSION_ENDED, s, null));
            }
            return new Outcome(s, rows, out);
        }

        private Agent snapshot(Pending p, List<Agent> rows) {
            for (Agent a : rows) {
                if (a.id().equals(p.agentId())) {
                    return a;
                }
            }
            throw new IllegalStateException("no agent " + p.agentId());
        }
    }
}
