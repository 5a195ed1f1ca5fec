package dev.argus.service.agents;

import dev.argus.service.agents.LifecycleMessage.Type;
import dev.argus.service.core.Level;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.argus.service.agents.LifecycleMessage.Type.AGENT_ABANDONED;
import static dev.argus.service.agents.LifecycleMessage.Type.AGENT_ACTIVATED;
import static dev.argus.service.agents.LifecycleMessage.Type.AGENT_COMPLETED;
import static dev.argus.service.agents.LifecycleMessage.Type.AGENT_STARTED;
import static dev.argus.service.agents.LifecycleMessage.Type.SESSION_ACTIVE;
import static dev.argus.service.agents.LifecycleMessage.Type.SESSION_ENDED;
import static dev.argus.service.agents.LifecycleMessage.Type.SESSION_IDLE;
import static dev.argus.service.agents.LifecycleMessage.Type.SESSION_STARTED;
import static org.assertj.core.api.Assertions.assertThat;

class SessionTrackerTest {
    private static final String S = "s-1";
    private static final long MIN = 60_000_000L;
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final ClaudeHookMapper mapper = new ClaudeHookMapper();

    /** Maps a raw hook body like {@code POST /hooks/claude} would and feeds it to the tracker at {@code t}. */
    private SessionTracker.Outcome hook(long t, String json) throws Exception {
        HookEvent e = mapper.map(json.getBytes(StandardCharsets.UTF_8), null, null, null);
        return SessionTracker.record(store, TrackedEvent.of(e, t));
    }

    private static String body(String hook, String more) {
        return "{\"session_id\":\"" + S + "\",\"cwd\":\"/home/dev/src/shop-api\",\"hook_event_name\":\"" + hook + "\""
                + (more.isEmpty() ? "" : "," + more) + "}";
    }

    private static List<Type> types(SessionTracker.Outcome o) {
        return o.messages().stream().map(LifecycleMessage::type).toList();
    }

    private Session session() {
        return store.find(S);
    }

    private Agent agent(String id) {
        return store.agents(S).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private void assertCounts(long events, long tools, long errors, long agents) {
        Session s = session();
        assertThat(new long[] {s.eventCount(), s.toolCount(), s.errorCount(), s.agentCount()})
                .containsExactly(events, tools, errors, agents);
    }

    @Test
    void scriptedSession() throws Exception {
        SessionTracker.Outcome o = hook(1_000, body("SessionStart", "\"source\":\"startup\""));
        assertThat(types(o)).containsExactly(SESSION_STARTED);
        assertThat(session().status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(session().project()).isEqualTo("shop-api");
        assertThat(session().cwd()).isEqualTo("/home/dev/src/shop-api");
        assertThat(session().source()).isEqualTo("claude-code");
        assertThat(session().startedAt()).isEqualTo(1_000);
        assertThat(o.messages().get(0).session().eventCount()).isEqualTo(1);
        assertCounts(1, 0, 0, 0);

        assertThat(types(hook(2_000, body("UserPromptSubmit", "\"prompt\":\"run the tests\"")))).isEmpty();
        assertCounts(2, 0, 0, 0);

        assertThat(types(hook(3_000, body("PreToolUse",
                "\"tool_name\":\"Bash\",\"tool_use_id\":\"tu-bash\",\"tool_input\":{\"command\":\"npm test\"}")))).isEmpty();
        assertCounts(3, 1, 0, 0);
        assertThat(store.agents(S)).isEmpty();

        assertThat(types(hook(4_000, body("PostToolUseFailure",
                "\"tool_name\":\"Bash\",\"tool_use_id\":\"tu-bash\",\"error\":\"exit 1\"")))).isEmpty();
        assertCounts(4, 1, 1, 0);

        o = hook(5_000, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu-plan\","
                + "\"tool_input\":{\"subagent_type\":\"Plan\",\"description\":\"Draft a fix plan\",\"prompt\":\"...\"}"));
        assertThat(types(o)).containsExactly(AGENT_STARTED);
        assertThat(o.messages().get(0).agent()).isEqualTo(new Agent("tu-plan", null, S, null, "Plan", "Draft a fix plan",
                AgentStatus.PENDING, 5_000, null, 0));
        assertCounts(5, 2, 1, 1);

        o = hook(6_000, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu-explore\","
                + "\"tool_input\":{\"subagent_type\":\"Explore\",\"description\":\"Find cart totals\"}"));
        assertThat(types(o)).containsExactly(AGENT_STARTED);
        assertCounts(6, 3, 1, 2);

        // takes the oldest pending agent of its type, not the oldest pending one
        o = hook(7_000, body("SubagentStart", "\"agent_id\":\"A1\",\"agent_type\":\"Explore\""));
        assertThat(types(o)).containsExactly(AGENT_ACTIVATED);
        assertThat(agent("tu-explore")).isEqualTo(new Agent("tu-explore", "A1", S, null, "Explore", "Find cart totals",
                AgentStatus.RUNNING, 6_000, null, 1));
        assertThat(agent("tu-plan").status()).isEqualTo(AgentStatus.PENDING);
        assertCounts(7, 3, 1, 2);

        assertThat(types(hook(8_000, body("PreToolUse", "\"agent_id\":\"A1\",\"agent_type\":\"Explore\","
                + "\"tool_name\":\"Grep\",\"tool_use_id\":\"tu-grep\",\"tool_input\":{\"pattern\":\"total\"}")))).isEmpty();
        assertThat(agent("tu-explore").eventCount()).isEqualTo(2);
        assertCounts(8, 4, 1, 2);

        o = hook(9_000, body("SubagentStop", "\"agent_id\":\"A1\",\"agent_type\":\"Explore\""));
        assertThat(types(o)).containsExactly(AGENT_COMPLETED);
        assertThat(agent("tu-explore")).isEqualTo(new Agent("tu-explore", "A1", S, null, "Explore", "Find cart totals",
                AgentStatus.COMPLETED, 6_000, 9_000L, 3));
        assertThat(o.messages().get(0).agent()).isEqualTo(agent("tu-explore"));

        // the Task call's own result after SubagentStop changes nothing
        o = hook(10_000, body("PostToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu-explore\",\"tool_response\":{}"));
        assertThat(types(o)).isEmpty();
        assertThat(agent("tu-explore").endedAt()).isEqualTo(9_000L);
        assertCounts(10, 4, 1, 2);

        // idle after idleMinutes without events, active again on the next one
        assertThat(SessionTracker.detectIdle(store, 10_000 + 10 * MIN - 1, 10)).isEmpty();
        List<SessionTracker.Outcome> idle = SessionTracker.detectIdle(store, 10_000 + 10 * MIN, 10);
        assertThat(idle).hasSize(1);
        assertThat(types(idle.get(0))).containsExactly(SESSION_IDLE);
        assertThat(session().status()).isEqualTo(SessionStatus.IDLE);
        assertThat(SessionTracker.detectIdle(store, 10_000 + 20 * MIN, 10)).isEmpty();

        long t = 10_000 + 11 * MIN;
        o = hook(t, body("Notification", "\"message\":\"Claude is waiting for your input\""));
        assertThat(types(o)).containsExactly(SESSION_ACTIVE);
        assertThat(session().status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(session().lastEventAt()).isEqualTo(t);

        // the session ends before the Plan agent ever ran: it is abandoned, then the session ends
        o = hook(t + 1, body("SessionEnd", "\"reason\":\"prompt_input_exit\""));
        assertThat(types(o)).containsExactly(AGENT_ABANDONED, SESSION_ENDED);
        assertThat(agent("tu-plan").status()).isEqualTo(AgentStatus.ABANDONED);
        assertThat(agent("tu-plan").endedAt()).isEqualTo(t + 1);
        assertThat(agent("tu-explore").status()).isEqualTo(AgentStatus.COMPLETED);
        assertThat(session().status()).isEqualTo(SessionStatus.ENDED);
        assertThat(session().endedAt()).isEqualTo(t + 1);
        assertCounts(12, 4, 1, 2);
        assertThat(o.messages().get(1).session()).isEqualTo(session());
        assertThat(o.agents()).containsExactly(agent("tu-plan"));

        // late events are counted but do not reopen the session; an ended session is not idle
        assertThat(types(hook(t + 2, body("Stop", "")))).isEmpty();
        assertThat(session().status()).isEqualTo(SessionStatus.ENDED);
        assertCounts(13, 4, 1, 2);
        assertThat(SessionTracker.detectIdle(store, t + 60 * MIN, 10)).isEmpty();
    }

    @Test
    void aSubagentWithNoPendingCallStartsRunningUnderItsAgentId() throws Exception {
        hook(1, body("UserPromptSubmit", "\"prompt\":\"x\""));
        SessionTracker.Outcome o = hook(2, body("SubagentStart", "\"agent_id\":\"A9\",\"agent_type\":\"general-purpose\""));
        assertThat(types(o)).containsExactly(AGENT_STARTED, AGENT_ACTIVATED);
        assertThat(agent("A9")).isEqualTo(new Agent("A9", "A9", S, null, "general-purpose", null, AgentStatus.RUNNING,
                2, null, 1));
        assertCounts(2, 0, 0, 1);
        // a repeated start is ignored
        assertThat(types(hook(3, body("SubagentStart", "\"agent_id\":\"A9\",\"agent_type\":\"general-purpose\"")))).isEmpty();
        assertThat(store.agents(S)).hasSize(1);
    }

    @Test
    void withoutAPendingAgentOfItsTypeTheOldestPendingOneStarts() throws Exception {
        hook(1, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"old\",\"tool_input\":{\"subagent_type\":\"Plan\"}"));
        hook(2, body("PreToolUse", "\"tool_name\":\"Agent\",\"tool_use_id\":\"new\",\"tool_input\":{\"subagent_type\":\"Plan\"}"));
        hook(3, body("SubagentStart", "\"agent_id\":\"A1\",\"agent_type\":\"Explore\""));
        assertThat(agent("old").status()).isEqualTo(AgentStatus.RUNNING);
        assertThat(agent("old").agentId()).isEqualTo("A1");
        assertThat(agent("new").status()).isEqualTo(AgentStatus.PENDING);
        hook(4, body("SubagentStart", "\"agent_id\":\"A2\""));
        assertThat(agent("new").agentId()).isEqualTo("A2");
    }

    @Test
    void aFailedSubagentCallFailsItsAgent() throws Exception {
        hook(1, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu\",\"tool_input\":{\"subagent_type\":\"Plan\"}"));
        hook(2, body("SubagentStart", "\"agent_id\":\"A1\",\"agent_type\":\"Plan\""));
        SessionTracker.Outcome o = hook(3, body("PostToolUseFailure", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu\",\"error\":\"interrupted\""));
        assertThat(types(o)).containsExactly(AGENT_COMPLETED);
        assertThat(o.messages().get(0).agent().status()).isEqualTo(AgentStatus.FAILED);
        assertThat(agent("tu").endedAt()).isEqualTo(3L);
        assertCounts(3, 1, 1, 1);
    }

    @Test
    void aMatchingPostToolUseCompletesAnAgentWithoutSubagentStop() throws Exception {
        hook(1, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu\",\"tool_input\":{}"));
        SessionTracker.Outcome o = hook(2, body("PostToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"tu\""));
        assertThat(types(o)).containsExactly(AGENT_COMPLETED);
        assertThat(agent("tu").status()).isEqualTo(AgentStatus.COMPLETED);
        // a later SubagentStop for it changes nothing
        assertThat(types(hook(3, body("SubagentStop", "\"agent_id\":\"tu\"")))).isEmpty();
    }

    @Test
    void aSubagentCallFromInsideASubagentRecordsItsParent() throws Exception {
        hook(1, body("SubagentStart", "\"agent_id\":\"A1\""));
        hook(2, body("PreToolUse", "\"agent_id\":\"A1\",\"tool_name\":\"Task\",\"tool_use_id\":\"child\",\"tool_input\":{}"));
        assertThat(agent("child").parentAgentId()).isEqualTo("A1");
        assertThat(agent("A1").eventCount()).isEqualTo(2);
    }

    @Test
    void endingByRequestAbandonsOpenAgentsOnce() throws Exception {
        hook(1, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"p\",\"tool_input\":{}"));
        hook(2, body("SubagentStart", "\"agent_id\":\"A1\""));
        hook(3, body("PreToolUse", "\"tool_name\":\"Task\",\"tool_use_id\":\"q\",\"tool_input\":{}"));
        SessionTracker.Outcome o = SessionTracker.recordEnd(store, S, 10);
        assertThat(types(o)).containsExactly(AGENT_ABANDONED, AGENT_ABANDONED, SESSION_ENDED);
        assertThat(store.agents(S)).extracting(Agent::status).containsOnly(AgentStatus.ABANDONED);
        assertThat(session().status()).isEqualTo(SessionStatus.ENDED);
        assertThat(session().endedAt()).isEqualTo(10L);
        assertThat(types(SessionTracker.recordEnd(store, S, 11))).isEmpty();
        assertThat(session().endedAt()).isEqualTo(10L);
        assertThat(SessionTracker.recordEnd(store, "unknown", 12)).isNull();
    }

    @Test
    void aSessionStartReopensAnEndedSession() throws Exception {
        SessionTracker.Outcome o = hook(1, body("SessionEnd", "\"reason\":\"clear\""));
        assertThat(types(o)).containsExactly(SESSION_STARTED, SESSION_ENDED);
        o = hook(2, body("SessionStart", "\"source\":\"resume\""));
        assertThat(types(o)).containsExactly(SESSION_STARTED);
        assertThat(session().status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(session().endedAt()).isNull();
        assertThat(session().startedAt()).isEqualTo(1);
    }

    @Test
    void onlyEventsWithAHookCreateSessionsButAnyEventCounts() {
        TrackedEvent plain = new TrackedEvent(S, "build", null, null, null, null, null, null, Level.FATAL, 5, null,
                null, null, null, null);
        assertThat(SessionTracker.record(store, plain).changed()).isFalse();
        assertThat(session()).isNull();
        TrackedEvent hooked = new TrackedEvent(S, "my-agent", "Stop", null, null, null, null, null, null, 6, null,
                "argus", "task-1", null, null);
        SessionTracker.record(store, hooked);
        assertThat(session().project()).isEqualTo("argus");
        assertThat(session().taskId()).isEqualTo("task-1");
        assertThat(session().source()).isEqualTo("my-agent");
        SessionTracker.record(store, plain);
        assertCounts(2, 0, 1, 0);
        TrackedEvent noSession = new TrackedEvent(null, "x", "Stop", null, null, null, null, null, null, 7, null,
                null, null, null, null);
        assertThat(SessionTracker.record(store, noSession)).isSameAs(SessionTracker.Outcome.NONE);
    }

    @Test
    void statusActivatedStartsAnAgentLikeSubagentStart() {
        TrackedEvent pending = new TrackedEvent(S, "py", "PreToolUse", "Task", "tu", null, null, "pending", Level.INFO,
                1, "/w/proj", null, null, "Explore", "look");
        TrackedEvent activated = new TrackedEvent(S, "py", "custom", null, null, "A1", null, "activated", Level.INFO,
                2, null, null, null, null, null);
        SessionTracker.record(store, pending);
        SessionTracker.Outcome o = SessionTracker.record(store, activated);
        assertThat(types(o)).containsExactly(AGENT_ACTIVATED);
        assertThat(agent("tu").agentId()).isEqualTo("A1");
        assertThat(session().project()).isEqualTo("proj");
    }

    @Test
    void applyIsPureAndLeavesItsInputsAlone() {
        Session s = new Session(S, "c", "p", "/p", null, 1, 1, null, SessionStatus.IDLE, 1, 0, 0, 1);
        Agent a = new Agent("tu", null, S, null, "Plan", null, AgentStatus.PENDING, 1, null, 0);
        List<Agent> agents = List.of(a);
        TrackedEvent start = new TrackedEvent(S, "c", "SubagentStart", null, null, "A1", "Plan", "activated",
                Level.INFO, 5, null, null, null, null, null);
        SessionTracker.Outcome o = SessionTracker.apply(s, agents, start);
        assertThat(types(o)).containsExactly(SESSION_ACTIVE, AGENT_ACTIVATED);
        assertThat(o.session().status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(o.agents()).extracting(Agent::status).containsExactly(AgentStatus.RUNNING);
        assertThat(agents.get(0)).isSameAs(a);
        assertThat(SessionTracker.apply(s, agents, start)).isEqualTo(o);
    }
}
