package dev.argus.service.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AgentsJsonTest {
    // 2026-11-21T12:34:56.123456Z
    private static final long T = 1795264496123456L;
    private final Session session = new Session("s-1", "claude-code", "shop-api", "/home/dev/src/shop-api", null,
            T, T + 1, null, SessionStatus.ACTIVE, 12, 4, 1, 2);
    private final Agent agent = new Agent("toolu_1", "a3f9", "s-1", null, "Explore", "Find \"totals\"",
            AgentStatus.COMPLETED, T, T + 1_000_000, 3);

    @Test
    void sessionHasEveryFieldWithTimesInTheEventFormat() {
        assertThat(AgentsJson.sessions(List.of(session))).isEqualTo("{\"sessions\":[{\"id\":\"s-1\",\"source\":\"claude-code\","
                + "\"project\":\"shop-api\",\"cwd\":\"/home/dev/src/shop-api\",\"task_id\":null,\"status\":\"active\","
                + "\"started_at\":\"2026-11-21T12:34:56.123456Z\",\"last_event_at\":\"2026-11-21T12:34:56.123457Z\","
                + "\"ended_at\":null,\"event_count\":12,\"tool_count\":4,\"error_count\":1,\"agent_count\":2}]}");
    }

    @Test
    void agentHasEveryField() {
        assertThat(AgentsJson.agents(List.of(agent))).isEqualTo("{\"agents\":[{\"id\":\"toolu_1\",\"agent_id\":\"a3f9\","
                + "\"session_id\":\"s-1\",\"parent_agent_id\":null,\"type\":\"Explore\",\"name\":\"Find \\\"totals\\\"\","
                + "\"status\":\"completed\",\"started_at\":\"2026-11-21T12:34:56.123456Z\","
                + "\"ended_at\":\"2026-11-21T12:34:57.123456Z\",\"event_count\":3}]}");
    }

    @Test
    void sessionDetailEmbedsItsAgents() throws Exception {
        var tree = new ObjectMapper().readTree(AgentsJson.session(session, List.of(agent)));
        assertThat(tree.path("id").asText()).isEqualTo("s-1");
        assertThat(tree.path("agents")).hasSize(1);
        assertThat(tree.path("agents").path(0).path("id").asText()).isEqualTo("toolu_1");
    }

    @Test
    void lifecycleMessagesCarryTheSessionOrTheAgent() throws Exception {
        ObjectMapper m = new ObjectMapper();
        var started = m.readTree(new LifecycleMessage(LifecycleMessage.Type.SESSION_STARTED, session, null).toJson());
        assertThat(started.path("type").asText()).isEqualTo("session_started");
        assertThat(started.path("payload").path("event_count").asLong()).isEqualTo(12);
        LifecycleMessage done = new LifecycleMessage(LifecycleMessage.Type.AGENT_COMPLETED, session, agent);
        var completed = m.readTree(done.toJson());
        assertThat(completed.path("type").asText()).isEqualTo("agent_completed");
        assertThat(completed.path("payload").path("status").asText()).isEqualTo("completed");
        assertThat(done.sseEvent()).isEqualTo("agent");
        assertThat(done.sessionId()).isEqualTo("s-1");
        assertThat(done.source()).isEqualTo("claude-code");
    }

    @Test
    void theModuleLetsAnObjectMapperWriteTheSameShapes() throws Exception {
        ObjectMapper m = new ObjectMapper().registerModule(AgentsJson.module());
        assertThat(m.writeValueAsString(session)).isEqualTo(AgentsJson.session(session, null));
        assertThat(m.writeValueAsString(List.of(agent))).isEqualTo(AgentsJson.agents(List.of(agent)).substring(10, AgentsJson.agents(List.of(agent)).length() - 1));
    }
}
