package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §12.3 end to end: a scripted Claude Code session (prompt, tool calls, one failing, a
 * subagent that completes, one abandoned by SessionEnd) posted to {@code /hooks/claude} with the
 * fixtures; after each step the session and its agents over HTTP, and on a live WebSocket and SSE
 * subscriber the event followed by the lifecycle messages it caused. A subscriber whose
 * {@code session_id} filter excludes the session gets nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SessionLifecycleIT {
    static final String SESSION = "8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43";

    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension();

    private final StreamsApp app = new StreamsApp(APP);

    /** One step: the fixture posted, the event id answered. */
    private long hook(String body) {
        HttpResponse<String> r = app.send(HttpRequest.newBuilder(URI.create(app.url() + "/hooks/claude"))
                .header("X-API-Key", StreamsApp.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        return Long.parseLong(r.headers().firstValue("X-Argus-Event-Id").orElseThrow());
    }

    static String fixture(String name) {
        try (InputStream in = SessionLifecycleIT.class.getResourceAsStream("/claude-hooks/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> r = app.get(pathAndQuery);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StreamsApp.json(r.body());
    }

    private JsonNode session() {
        HttpResponse<String> r = app.get("/sessions/" + SESSION);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StreamsApp.json(r.body());
    }

    /** The WebSocket messages for one step: the event, then the lifecycle types in order. */
    private static void expectWs(WsTestClient ws, long eventId, String... types) {
        JsonNode e = ws.next();
        assertThat(e.get("type").asText()).isEqualTo("event");
        assertThat(e.get("event").get("id").asLong()).isEqualTo(eventId);
        for (String t : types) {
            JsonNode m = ws.next();
            assertThat(m.get("type").asText()).as(m.toString()).isEqualTo(t);
            assertThat(m.get("payload").isObject()).isTrue();
        }
    }

    private static void expectSse(SseTestClient sse, long eventId, String... types) {
        SseTestClient.Frame f = sse.nextEventFrame();
        assertThat(f.event()).isEqualTo("event");
        assertThat(f.id()).isEqualTo(Long.toString(eventId));
        for (String t : types) {
            SseTestClient.Frame m = sse.nextEventFrame();
            assertThat(m.event()).isEqualTo(t.startsWith("agent_") ? "agent" : "session");
            assertThat(m.id()).isNull();
            assertThat(StreamsApp.json(m.data()).get("type").asText()).isEqualTo(t);
        }
    }

    @Test
    void scriptedSessionDrivesStateAndLiveMessages() {
        try (WsTestClient ws = WsTestClient.authenticated(app);
             WsTestClient other = WsTestClient.authenticated(app);
             SseTestClient sse = SseTestClient.open(app, "?session_id=" + SESSION, "X-API-Key", StreamsApp.KEY)) {
            ws.send("{\"type\":\"subscribe\",\"filters\":{\"session_id\":\"" + SESSION + "\"}}");
            assertThat(ws.next().get("type").asText()).isEqualTo("subscribe_result");
            other.send("{\"type\":\"subscribe\",\"filters\":{\"session_id\":\"some-other-session\"}}");
            assertThat(other.next().get("type").asText()).isEqualTo("subscribe_result");

            long id = hook(fixture("SessionStart"));
            expectWs(ws, id, "session_started");
            expectSse(sse, id, "session_started");
            JsonNode s = session();
            assertThat(s.get("status").asText()).isEqualTo("active");
            assertThat(s.get("source").asText()).isEqualTo("claude-code");
            assertThat(s.get("project").asText()).isEqualTo("shop-api");
            assertThat(s.get("cwd").asText()).isEqualTo("/home/dev/src/shop-api");
            assertThat(s.get("event_count").asLong()).isEqualTo(1);
            assertThat(s.get("ended_at").isNull()).isTrue();
            assertThat(s.get("agents")).isEmpty();

            id = hook(fixture("UserPromptSubmit"));
            expectWs(ws, id);
            expectSse(sse, id);
            id = hook(fixture("PreToolUse"));
            expectWs(ws, id);
            expectSse(sse, id);
            s = session();
            assertThat(s.get("event_count").asLong()).isEqualTo(3);
            assertThat(s.get("tool_count").asLong()).isEqualTo(1);
            assertThat(s.get("error_count").asLong()).isZero();

            id = hook(fixture("PostToolUseFailure"));
            expectWs(ws, id);
            expectSse(sse, id);
            s = session();
            assertThat(s.get("error_count").asLong()).isEqualTo(1);
            assertThat(s.get("agent_count").asLong()).isZero();

            // A subagent that completes: pending on the Task call, running on SubagentStart, completed on SubagentStop.
            id = hook(fixture("PreToolUse-Task"));
            expectWs(ws, id, "agent_started");
            expectSse(sse, id, "agent_started");
            JsonNode agents = getJson("/agents?session_id=" + SESSION).get("agents");
            assertThat(agents).hasSize(1);
            assertThat(agents.get(0).get("id").asText()).isEqualTo("toolu_01TaskExplore000000000001");
            assertThat(agents.get(0).get("status").asText()).isEqualTo("pending");
            assertThat(agents.get(0).get("type").asText()).isEqualTo("Explore");
            assertThat(agents.get(0).get("name").asText()).isEqualTo("Find where cart totals are computed");
            assertThat(agents.get(0).get("agent_id").isNull()).isTrue();

            id = hook(fixture("SubagentStart"));
            expectWs(ws, id, "agent_activated");
            expectSse(sse, id, "agent_activated");
            JsonNode a = session().get("agents").get(0);
            assertThat(a.get("status").asText()).isEqualTo("running");
            assertThat(a.get("agent_id").asText()).isEqualTo("a3f9c2e1b7d04c58");

            id = hook(fixture("SubagentStop"));
            expectWs(ws, id, "agent_completed");
            expectSse(sse, id, "agent_completed");
            a = session().get("agents").get(0);
            assertThat(a.get("status").asText()).isEqualTo("completed");
            assertThat(a.get("ended_at").isNull()).isFalse();
            assertThat(a.get("event_count").asLong()).isEqualTo(2);

            // A second subagent that never finishes: abandoned when the session ends.
            id = hook(fixture("PreToolUse-Task").replace("toolu_01TaskExplore000000000001", "toolu_second"));
            expectWs(ws, id, "agent_started");
            expectSse(sse, id, "agent_started");
            assertThat(getJson("/agents?session_id=" + SESSION + "&status=pending").get("agents")).hasSize(1);

            id = hook(fixture("SessionEnd"));
            expectWs(ws, id, "agent_abandoned", "session_ended");
            expectSse(sse, id, "agent_abandoned", "session_ended");
            s = session();
            assertThat(s.get("status").asText()).isEqualTo("ended");
            assertThat(s.get("ended_at").isNull()).isFalse();
            assertThat(s.get("event_count").asLong()).isEqualTo(9);
            assertThat(s.get("tool_count").asLong()).isEqualTo(3);
            assertThat(s.get("agent_count").asLong()).isEqualTo(2);
            List<String> statuses = new ArrayList<>();
            s.get("agents").forEach(x -> statuses.add(x.get("status").asText()));
            assertThat(statuses).containsExactly("completed", "abandoned");
            assertThat(getJson("/sessions?status=ended").get("sessions").get(0).get("id").asText())
                    .isEqualTo(SESSION);

            // The subscriber filtered to another session got neither the events nor the lifecycle messages.
            assertThat(other.poll(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void patchEndingASessionIsLiveToo() {
        String session = "patched-" + System.nanoTime();
        try (WsTestClient ws = WsTestClient.authenticated(app)) {
            ws.send("{\"type\":\"subscribe\",\"filters\":{\"session_id\":\"" + session + "\",\"level\":\"fatal\"}}");
            assertThat(ws.next().get("type").asText()).isEqualTo("subscribe_result");
            hook(fixture("SessionStart").replace(SESSION, session));
            hook(fixture("PreToolUse-Task").replace(SESSION, session));
            // the level filter holds the (info) events back, not the session's lifecycle messages
            assertThat(ws.next().get("type").asText()).isEqualTo("session_started");
            assertThat(ws.next().get("type").asText()).isEqualTo("agent_started");
            HttpResponse<String> r = app.send(HttpRequest.newBuilder(URI.create(app.url() + "/sessions/" + session))
                    .header("X-API-Key", StreamsApp.KEY).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"ended\"}")).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode abandoned = ws.next();
            assertThat(abandoned.get("type").asText()).isEqualTo("agent_abandoned");
            assertThat(abandoned.get("payload").get("status").asText()).isEqualTo("abandoned");
            JsonNode ended = ws.next();
            assertThat(ended.get("type").asText()).isEqualTo("session_ended");
            assertThat(ended.get("payload").get("id").asText()).isEqualTo(session);
        }
    }
}
