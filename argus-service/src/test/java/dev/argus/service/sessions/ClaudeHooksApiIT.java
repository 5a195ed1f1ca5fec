package dev.argus.service.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /hooks/claude} (SPEC §12.2), the session API (§12.3) and the §12.1 fields on
 * {@code POST /events}, against a real server: answers, error codes with nothing stored, PATCH
 * rules, query parameter rules.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClaudeHooksApiIT {
    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    private final TestServer server = TestServer.of(APP);

    static String fixture(String name) {
        try (InputStream in = ClaudeHooksApiIT.class.getResourceAsStream("/claude-hooks/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture with its own session id, so tests do not share sessions. */
    static String inSession(String fixture, String sessionId) {
        return fixture(fixture).replace("8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43", sessionId);
    }

    private HttpResponse<String> hook(String query, String contentType, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/hooks/claude" + query))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return server.send(b.build());
    }

    private HttpResponse<String> hook(String body) {
        return hook("", "application/json", body, TestServer.KEY);
    }

    private HttpResponse<String> patch(String id, String body, String key) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/sessions/" + id))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void hookIsStoredWithMappedFieldsAndRawData() {
        String session = UUID.randomUUID().toString();
        String body = inSession("PreToolUse", session);
        HttpResponse<String> r = hook("?source=my-claude", "application/json; charset=utf-8", body, TestServer.KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        long id = Long.parseLong(r.headers().firstValue("X-Argus-Event-Id").orElseThrow());

        HttpResponse<String> raw = server.get("/events/" + id);
        JsonNode e = TestServer.json(raw.body());
        assertThat(e.get("source").asText()).isEqualTo("my-claude");
        assertThat(e.get("event_type").asText()).isEqualTo("hook");
        assertThat(e.get("hook").asText()).isEqualTo("PreToolUse");
        assertThat(e.get("tool_name").asText()).isEqualTo("Bash");
        assertThat(e.get("tool_use_id").asText()).isEqualTo("toolu_01ABCdefGHIjklMNOpqrSTU1");
        assertThat(e.get("agent_id").isNull()).isTrue();
        assertThat(e.get("task_id").isNull()).isTrue();
        assertThat(e.get("status").asText()).isEqualTo("pending");
        assertThat(e.get("session_id").asText()).isEqualTo(session);
        assertThat(e.get("message").asText()).isEqualTo("Bash: npm test");
        assertThat(e.get("level").asText()).isEqualTo("info");
        assertThat(e.get("tags").toString()).isEqualTo("[\"Bash\"]");
        // data is the payload byte for byte (the fixture's own line breaks and spacing)
        assertThat(raw.body()).contains("\"data\":" + body.strip());
        // the new fields are filters of GET /events
        assertThat(server.getJson("/events?hook=PreToolUse&tool_name=Bash&session_id=" + session)
                .get("events")).hasSize(1);
        assertThat(server.getJson("/events?hook=PostToolUse&session_id=" + session).get("events")).isEmpty();
    }

    @Test
    void repeatedUuidStoresOnceAndAnswersTheFirstId() {
        String body = inSession("Stop", UUID.randomUUID().toString());
        String uuid = UUID.randomUUID().toString();
        HttpResponse<String> first = hook("?uuid=" + uuid, "application/json", body, TestServer.KEY);
        long before = server.count();
        HttpResponse<String> again = hook("?uuid=" + uuid, "application/json", body, TestServer.KEY);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{}");
        assertThat(again.headers().firstValue("X-Argus-Event-Id"))
                .isEqualTo(first.headers().firstValue("X-Argus-Event-Id"));
        assertThat(server.count()).isEqualTo(before);
    }

    @Test
    void badInputIsRefusedWithTheSpecCodesAndNothingStored() {
        long before = server.count();
        String noHook = "{\"session_id\":\"x-" + UUID.randomUUID() + "\",\"cwd\":\"/tmp\"}";
        HttpResponse<String> r = hook(noHook);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("hook_event_name");
        assertThat(hook("{\"hook_event_name\": ").statusCode()).isEqualTo(400);
        assertThat(hook("").statusCode()).isEqualTo(400);
        assertThat(hook("", "text/plain", fixture("Stop"), TestServer.KEY).statusCode()).isEqualTo(415);
        assertThat(hook("", null, fixture("Stop"), TestServer.KEY).statusCode()).isEqualTo(415);
        String big = "{\"hook_event_name\":\"Stop\",\"pad\":\"" + "x".repeat(5000) + "\"}";
        assertThat(hook(big).statusCode()).isEqualTo(413);
        assertThat(hook("", "application/json", fixture("Stop"), null).statusCode()).isEqualTo(401);
        assertThat(hook("", "application/json", fixture("Stop"), "read-only-key").statusCode()).isEqualTo(403);
        r = hook("?sauce=x", "application/json", fixture("Stop"), TestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("sauce");
        r = hook("?task_id=no-such-task", "application/json", fixture("Stop"), TestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("task_id");
        assertThat(server.count()).isEqualTo(before);
        assertThat(server.getJson("/sessions?limit=1000").toString()).doesNotContain(noHook.substring(15, 50));
    }

    @Test
    void eventsWithAgentFieldsFromPythonProducersCreateSessions() {
        String session = "py-" + UUID.randomUUID();
        String event = "{\"source\":\"claude-code\",\"event_type\":\"tool_use\",\"hook\":\"PreToolUse\","
                + "\"tool_name\":\"Read\",\"tool_use_id\":\"t1\",\"session_id\":\"" + session + "\","
                + "\"status\":\"pending\",\"is_background\":false,\"data\":{\"cwd\":\"/home/me/proj-x\"}}";
        HttpResponse<String> r = server.postEvent(event);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        long id = TestServer.json(r.body()).get("event_id").asLong();
        JsonNode e = server.getJson("/events/" + id);
        assertThat(e.get("hook").asText()).isEqualTo("PreToolUse");
        assertThat(e.get("status").asText()).isEqualTo("pending");
        assertThat(e.get("is_background").asBoolean()).isFalse();
        assertThat(e.get("is_background").isBoolean()).isTrue();
        JsonNode s = server.getJson("/sessions/" + session);
        assertThat(s.get("project").asText()).isEqualTo("proj-x");
        assertThat(s.get("tool_count").asLong()).isEqualTo(1);
        assertThat(server.getJson("/events?is_background=false&session_id=" + session).get("events")).hasSize(1);
        assertThat(server.getJson("/events?is_background=true&session_id=" + session).get("events")).isEmpty();
        assertThat(server.getJson("/events?status=pending&tool_use_id=t1").get("events")).hasSize(1);

        // An event without hook does not create a session, but counts for an existing one.
        String plain = "{\"source\":\"claude-code\",\"event_type\":\"note\",\"session_id\":\"" + session + "\"}";
        assertThat(server.postEvent(plain).statusCode()).isEqualTo(201);
        assertThat(server.getJson("/sessions/" + session).get("event_count").asLong()).isEqualTo(2);
        String orphan = "{\"source\":\"x\",\"event_type\":\"note\",\"session_id\":\"orphan-" + session + "\"}";
        assertThat(server.postEvent(orphan).statusCode()).isEqualTo(201);
        assertThat(server.get("/sessions/orphan-" + session).statusCode()).isEqualTo(404);
    }

    @Test
    void agentFieldsAreValidated() {
        long before = server.count();
        String[][] bad = {
                {"\"hook\":\"\"", "hook"},
                {"\"hook\":\"" + "h".repeat(65) + "\"", "hook"},
                {"\"hook\":\"Pre\\u0007Tool\"", "hook"},
                {"\"tool_name\":\"" + "t".repeat(129) + "\"", "tool_name"},
                {"\"agent_id\":5", "agent_id"},
                {"\"status\":\"done\"", "status"},
                {"\"is_background\":\"true\"", "is_background"},
                {"\"is_background\":1", "is_background"},
                {"\"task_id\":\"no-such-task\"", "task_id"},
        };
        for (String[] b : bad) {
            HttpResponse<String> r = server.postEvent("{\"source\":\"s\",\"event_type\":\"t\"," + b[0] + "}");
            assertThat(r.statusCode()).as(b[0]).isEqualTo(422);
            assertThat(TestServer.json(r.body()).get("errors").get(0).get("field").asText()).isEqualTo(b[1]);
        }
        HttpResponse<String> r = server.post("/events/batch", "application/json",
                "[{\"source\":\"s\",\"event_type\":\"t\"},{\"source\":\"s\",\"event_type\":\"t\",\"task_id\":\"nope\"}]");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(r.body()).get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(server.count()).isEqualTo(before);
        assertThat(server.get("/events?is_background=maybe").statusCode()).isEqualTo(400);
        assertThat(server.get("/events?status=done").statusCode()).isEqualTo(400);
    }

    @Test
    void patchEndsASessionAndFollowsItsRules() {
        String session = UUID.randomUUID().toString();
        assertThat(hook(inSession("SessionStart", session)).statusCode()).isEqualTo(200);
        assertThat(hook(inSession("PreToolUse-Task", session)).statusCode()).isEqualTo(200);

        assertThat(patch(session, "{\"status\":\"ended\"}", "read-only-key").statusCode()).isEqualTo(403);
        assertThat(patch("no-such-session", "{\"status\":\"ended\"}", TestServer.KEY).statusCode()).isEqualTo(404);
        assertThat(patch(session, "{\"status\":\"idle\"}", TestServer.KEY).statusCode()).isEqualTo(422);
        assertThat(patch(session, "{\"colour\":\"red\"}", TestServer.KEY).statusCode()).isEqualTo(422);
        assertThat(patch(session, "{}", TestServer.KEY).statusCode()).isEqualTo(422);
        assertThat(patch(session, "{\"status\":", TestServer.KEY).statusCode()).isEqualTo(400);
        HttpResponse<String> r = patch(session, "{\"task_id\":\"no-such-task\"}", TestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("task_id");
        assertThat(server.getJson("/sessions/" + session).get("status").asText()).isEqualTo("active");

        r = patch(session, "{\"status\":\"ended\"}", "ingest-only-key");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode s = TestServer.json(r.body());
        assertThat(s.get("id").asText()).isEqualTo(session);
        assertThat(s.get("status").asText()).isEqualTo("ended");
        assertThat(s.get("ended_at").isNull()).isFalse();
        assertThat(s.get("agents").get(0).get("status").asText()).isEqualTo("abandoned");
        // ending again changes nothing
        JsonNode again = TestServer.json(patch(session, "{\"status\":\"ended\"}", TestServer.KEY).body());
        assertThat(again.get("ended_at")).isEqualTo(s.get("ended_at"));
    }

    @Test
    void sessionQueriesCheckTheirParameters() {
        String session = UUID.randomUUID().toString();
        String project = "proj-" + session.substring(0, 8);
        String start = inSession("SessionStart", session).replace("/home/dev/src/shop-api\"", "/w/" + project + "\"");
        assertThat(hook(start).statusCode()).isEqualTo(200);
        JsonNode list = server.getJson("/sessions?project=" + project + "&status=active&limit=5");
        assertThat(list.get("sessions")).hasSize(1);
        assertThat(list.get("sessions").get(0).get("id").asText()).isEqualTo(session);
        assertThat(server.getJson("/sessions?project=" + project + "&status=idle").get("sessions")).isEmpty();
        // most recent activity first
        String later = UUID.randomUUID().toString();
        assertThat(hook(inSession("SessionStart", later)).statusCode()).isEqualTo(200);
        assertThat(server.getJson("/sessions?limit=1").get("sessions").get(0).get("id").asText()).isEqualTo(later);

        for (String q : new String[] {"?limit=0", "?limit=1001", "?limit=x", "?status=sleeping", "?colour=red"}) {
            HttpResponse<String> r = server.get("/sessions" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
        }
        assertThat(server.get("/sessions?colour=red").body()).contains("colour");
        assertThat(server.get("/agents?status=sleeping").statusCode()).isEqualTo(400);
        assertThat(server.get("/agents?sesion_id=x").statusCode()).isEqualTo(400);
        assertThat(server.get("/sessions/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(server.getJson("/agents?session_id=" + session).get("agents")).isEmpty();
    }
}
