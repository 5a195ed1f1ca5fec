package dev.argus.service.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text holding U+0000 (JSON {@code \u0000}, query {@code %00}) on every route that stores or
 * filters text: accepted and answered like any other text, never a 500/503. SQLite keeps the
 * character; PostgreSQL's {@code text} cannot, so there it is stored as U+FFFD and a filter
 * holding U+0000 matches that (docs/postgres.md, "Text without NUL"). The answer to a write, a
 * later read and a filter agree on both. Runs on SQLite in {@code mvn verify} and again on
 * PostgreSQL (failsafe execution {@code postgres-it}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class NulTextIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    /** What a stored U+0000 reads back as on this database. */
    private static final String NUL = TestServer.onPostgres() ? "\uFFFD" : "\u0000";

    private TestServer server() {
        return TestServer.of(APP);
    }

    private JsonNode expect(int status, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + " → " + r.body()).isEqualTo(status);
        return TestServer.json(r.body());
    }

    private HttpResponse<String> postJson(String path, String json) {
        return server().post(path, "application/json", json);
    }

    private HttpResponse<String> patchJson(String path, String json) {
        return server().send(HttpRequest.newBuilder(URI.create(server().url() + path)).header("X-API-Key", TestServer.KEY)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get(field).asText()));
        return out;
    }

    @Test
    void workstreamsTasksAndUpdatesStoreAndFindIt() {
        JsonNode ws = expect(201, postJson("/api/workstreams", "{\"name\":\"nul\\u0000stream\",\"metadata\":{\"k\":\"v\\u0000\"}}"));
        assertThat(ws.get("name").asText()).isEqualTo("nul" + NUL + "stream");
        assertThat(ws.get("metadata").toString()).as("metadata is JSON text: exact on both").isEqualTo("{\"k\":\"v\\u0000\"}");
        String wsId = ws.get("id").asText();
        assertThat(texts(expect(200, server().get("/api/workstreams")).get("items"), "name")).contains("nul" + NUL + "stream");
        assertThat(expect(200, patchJson("/api/workstreams/" + wsId, "{\"name\":\"re\\u0000named\"}")).get("name").asText())
                .isEqualTo("re" + NUL + "named");

        JsonNode task = expect(201, postJson("/api/tasks", "{\"workstream_id\":\"" + wsId + "\",\"name\":\"t\\u0000\"}"));
        assertThat(task.get("name").asText()).isEqualTo("t" + NUL);
        String taskId = task.get("id").asText();
        JsonNode patched = expect(200, patchJson("/api/tasks/" + taskId,
                "{\"summary_text\":\"half\\u0000done\",\"summary_source\":\"ci\\u0000\"}"));
        assertThat(patched.get("summary_text").asText()).isEqualTo("half" + NUL + "done");
        assertThat(patched.get("summary_source").asText()).isEqualTo("ci" + NUL);
        assertThat(texts(expect(200, server().get("/api/tasks?workstream_id=" + wsId)).get("items"), "summary_text"))
                .containsExactly("half" + NUL + "done");

        JsonNode update = expect(201, postJson("/api/updates/manual",
                "{\"task_id\":\"" + taskId + "\",\"message\":\"step\\u0000one\",\"tags\":[\"ta\\u0000g\"]}"));
        assertThat(update.get("message").asText()).as("the answer is the update as stored").isEqualTo("step" + NUL + "one");
        JsonNode found = expect(200, server().get("/api/updates?task_id=" + taskId + "&tag=ta%00g"));
        assertThat(texts(found.get("items"), "message")).containsExactly("step" + NUL + "one");
        assertThat(expect(200, server().get("/api/updates?task_id=" + taskId + "&source=ma%00nual")).get("total").asInt())
                .isZero();
    }

    @Test
    void eventsStoreItAndEveryTextFilterFindsIt() {
        expect(201, postJson("/events", "{\"source\":\"nul-events\",\"event_type\":\"t\",\"message\":\"hello\\u0000world\","
                + "\"tags\":[\"x\\u0000y\"],\"session_id\":\"sess\\u0000ion\"}"));
        List<String> byTag = texts(expect(200, server().get("/events?tag=x%00y")).get("events"), "message");
        assertThat(byTag).containsExactly("hello" + NUL + "world");
        assertThat(texts(expect(200, server().get("/events?q=o%00w")).get("events"), "message")).containsExactly("hello" + NUL + "world");
        assertThat(texts(expect(200, server().get("/events?session_id=sess%00ion")).get("events"), "session_id"))
                .containsExactly("sess" + NUL + "ion");
        // text that no event can hold (source and event type refuse control characters) filters to nothing
        assertThat(expect(200, server().get("/events?source=a%00b&event_type=c%00d")).get("events")).isEmpty();
        assertThat(expect(200, server().get("/event-types?source=a%00b")).get("event_types")).isEmpty();
    }

    @Test
    void sessionsDerivedFromHooksStoreItAndTheirFiltersFindIt() {
        expect(200, postJson("/hooks/claude", "{\"session_id\":\"hook\\u0000session\",\"hook_event_name\":\"SessionStart\","
                + "\"cwd\":\"/work/pro\\u0000ject\"}"));
        JsonNode sessions = expect(200, server().get("/sessions?project=pro%00ject")).get("sessions");
        assertThat(texts(sessions, "id")).containsExactly("hook" + NUL + "session");
        assertThat(sessions.get(0).get("cwd").asText()).isEqualTo("/work/pro" + NUL + "ject");
        assertThat(expect(200, server().get("/agents?session_id=hook%00session")).get("agents")).isEmpty();
        expect(200, postJson("/hooks/claude", "{\"session_id\":\"plain-session\",\"hook_event_name\":\"SessionStart\","
                + "\"cwd\":\"/work/plain\"}"));
        assertThat(expect(422, patchJson("/sessions/plain-session", "{\"task_id\":\"no\\u0000task\"}"))
                .get("message").asText()).contains("names no task");
    }
}
