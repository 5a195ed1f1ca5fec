package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.testing.PostgresServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §12.3's live lifecycle messages on every instance sharing one PostgreSQL database (SPEC §15):
 * a WebSocket subscriber on one instance gets the session and agent messages that hook events
 * posted to the other instance caused, after their events, and those of a {@code PATCH /sessions}
 * (a writer task with no event) on the other instance; a subscriber on the instance that derived
 * them gets each exactly once. Likewise {@code /api/stream}'s task and workstream state events
 * (SPEC §13.2). Two instances in this JVM.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClusterLifecycleIT {
    private static final String DATABASE = PostgresServer.get().freshDatabase();
    private static final String SESSION = "8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43";   // the fixtures' session

    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> A = instance();
    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> B = instance();

    private static DropwizardAppExtension<ArgusConfiguration> instance() {
        return TestServer.sharingPostgres("streams-test.yml", DATABASE);
    }

    private static long hook(StreamsApp app, String fixture) {
        HttpResponse<String> r = app.send(HttpRequest.newBuilder(URI.create(app.url() + "/hooks/claude"))
                .header("X-API-Key", StreamsApp.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SessionLifecycleIT.fixture(fixture))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Long.parseLong(r.headers().firstValue("X-Argus-Event-Id").orElseThrow());
    }

    private static WsTestClient subscribe(StreamsApp app) {
        WsTestClient ws = WsTestClient.authenticated(app);
        ws.send("{\"type\":\"subscribe\",\"filters\":{\"session_id\":\"" + SESSION + "\"}}");
        assertThat(ws.next().get("type").asText()).isEqualTo("subscribe_result");
        return ws;
    }

    /** The event, then exactly the lifecycle types given (nothing else arrives before the next step). */
    private static void expect(WsTestClient ws, long eventId, String... types) {
        JsonNode e = ws.next();
        assertThat(e.get("type").asText()).as(e.toString()).isEqualTo("event");
        assertThat(e.get("event").get("id").asLong()).isEqualTo(eventId);
        expectMessages(ws, types);
    }

    private static void expectMessages(WsTestClient ws, String... types) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            JsonNode m = ws.next();
            assertThat(m.get("payload").isObject()).as(m.toString()).isTrue();
            got.add(m.get("type").asText());
        }
        assertThat(got).containsExactly(types);
    }

    private static JsonNode post(StreamsApp app, String path, String json) {
        HttpResponse<String> r = app.send(HttpRequest.newBuilder(URI.create(app.url() + path))
                .header("X-API-Key", StreamsApp.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return StreamsApp.json(r.body());
    }

    /** The next state event (comments skipped): its name and its data exactly as the change was answered. */
    private static void expectState(SseTestClient sse, String event, JsonNode answered) {
        SseTestClient.Frame f = sse.nextEventFrame();
        assertThat(f.event()).as(f.toString()).isEqualTo(event);
        assertThat(f.id()).isNull();
        assertThat(StreamsApp.json(f.data())).isEqualTo(answered);
    }

    @Test
    void apiStreamStateEventsReachTheOtherInstancesSubscribersOnce() {
        StreamsApp a = new StreamsApp(A);
        StreamsApp b = new StreamsApp(B);
        try (SseTestClient onA = SseTestClient.openPath(a, "/api/stream", "X-API-Key", StreamsApp.KEY);
             SseTestClient onB = SseTestClient.openPath(b, "/api/stream", "X-API-Key", StreamsApp.KEY)) {
            assertThat(onB.response().statusCode()).isEqualTo(200);
            JsonNode ws = post(a, "/api/workstreams", "{\"name\":\"cluster stream\"}");
            expectState(onA, "workstream_created", ws);
            expectState(onB, "workstream_created", ws);
            JsonNode task = post(b, "/api/tasks", "{\"workstream_id\":\"" + ws.get("id").asText() + "\",\"name\":\"t\"}");
            expectState(onB, "task_created", task);
            expectState(onA, "task_created", task);
            // nothing more on either (a duplicate from the journal would show here; tails poll every second)
            for (SseTestClient c : List.of(onA, onB)) {
                SseTestClient.Frame extra = c.poll(Duration.ofMillis(c == onA ? 2500 : 200));
                assertThat(extra == null || extra.comment() != null).as("nothing more: " + extra).isTrue();
            }
        }
    }

    @Test
    void eachInstancesSubscribersGetTheLifecycleMessagesOfTheOthersCommits() {
        StreamsApp a = new StreamsApp(A);
        StreamsApp b = new StreamsApp(B);
        try (WsTestClient onA = subscribe(a); WsTestClient onB = subscribe(b)) {
            long id = hook(a, "SessionStart");
            expect(onA, id, "session_started");
            expect(onB, id, "session_started");

            id = hook(b, "PreToolUse-Task");
            expect(onB, id, "agent_started");
            expect(onA, id, "agent_started");

            HttpResponse<String> ended = a.send(HttpRequest.newBuilder(URI.create(a.url() + "/sessions/" + SESSION))
                    .header("X-API-Key", StreamsApp.KEY).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"ended\"}")).build());
            assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
            expectMessages(onA, "agent_abandoned", "session_ended");
            expectMessages(onB, "agent_abandoned", "session_ended");

            // nothing more: a message the deriving instance also read back from the journal would show
            // here (the tails poll at least every second)
            assertThat(onA.poll(Duration.ofMillis(2500))).as("no duplicate on A").isNull();
            assertThat(onB.poll(Duration.ofMillis(200))).as("nothing more on B").isNull();
        }
    }
}
