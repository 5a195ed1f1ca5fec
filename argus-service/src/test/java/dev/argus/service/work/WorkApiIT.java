package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.core.Timestamps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Workstreams and tasks over HTTP (SPEC §13.1, §13.2): Monitor's flow, every PATCH rule, every refusal. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkApiIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    private WorkClient api() {
        return new WorkClient(TestServer.of(APP).url(), TestServer.KEY);
    }

    private JsonNode workstream(String name) {
        return api().expect(201, api().post("/api/workstreams", "{\"name\":\"" + name + "\"}"));
    }

    private JsonNode task(String ws, String name) {
        return api().expect(201, api().post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"" + name + "\"}"));
    }

    private JsonNode patchTask(String id, String body) {
        return api().expect(200, api().patch("/api/tasks/" + id, body));
    }

    private List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("id").asText()));
        assertThat(page.get("total").asInt()).isEqualTo(ids.size());
        return ids;
    }

    private static long micros(JsonNode n, String field) {
        return Timestamps.parseMicros(n.get(field).asText());
    }

    @Test
    void monitorFlowCreatesListsAndFilters() {
        WorkClient.Answer created = api().post("/api/workstreams",
                "{\"name\":\"  Flow MVP \",\"metadata\":{\"team\":\"core\",\"n\":1.50}}");
        assertThat(created.body()).as("metadata comes back as sent").contains("\"metadata\":{\"team\":\"core\",\"n\":1.50}");
        JsonNode ws = api().expect(201, created);
        String wsId = ws.get("id").asText();
        assertThat(UUID.fromString(wsId).toString()).isEqualTo(wsId);
        assertThat(ws.get("name").asText()).isEqualTo("Flow MVP");
        assertThat(ws.get("status").asText()).isEqualTo("active");
        assertThat(ws.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(ws.get("updated_at")).isEqualTo(ws.get("created_at"));

        JsonNode t1 = api().expect(201, api().post("/api/tasks", "{\"workstream_id\":\"" + wsId + "\",\"name\":\"SSE replay\"}"));
        assertThat(t1.get("workstream_id").asText()).isEqualTo(wsId);
        assertThat(t1.get("status").asText()).isEqualTo("active");
        assertThat(t1.get("metadata").toString()).isEqualTo("{}");
        assertThat(t1.has("summary_text") || t1.has("summary_updated_at") || t1.has("summary_source") || t1.has("hidden_at"))
                .as("absent optional fields are left out").isFalse();
        String t2 = task(wsId, "second").get("id").asText();
        String other = workstream("Flow other").get("id").asText();
        String t3 = task(other, "elsewhere").get("id").asText();

        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + wsId))))
                .containsExactly(t1.get("id").asText(), t2);
        List<String> all = ids(api().expect(200, api().get("/api/tasks")));
        assertThat(all).containsSubsequence(t1.get("id").asText(), t2, t3);
        List<String> streams = ids(api().expect(200, api().get("/api/workstreams")));
        assertThat(streams).containsSubsequence(wsId, other);

        patchTask(t2, "{\"status\":\"blocked\"}");
        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + wsId + "&status=blocked")))).containsExactly(t2);
        assertThat(ids(api().expect(200, api().get("/api/tasks?status=active&workstream_id=" + wsId))))
                .containsExactly(t1.get("id").asText());
        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + UUID.randomUUID())))).isEmpty();
    }

    @Test
    void taskPatchRules() {
        String ws = workstream("Rules").get("id").asText();
        JsonNode t = task(ws, "rules");
        String id = t.get("id").asText();

        JsonNode empty = patchTask(id, "{}");
        assertThat(micros(empty, "updated_at")).as("updated_at always moves").isGreaterThan(micros(t, "updated_at"));
        assertThat(empty.get("created_at")).isEqualTo(t.get("created_at"));
        assertThat(empty.get("name")).isEqualTo(t.get("name"));

        JsonNode nulls = patchTask(id, "{\"name\":null,\"status\":null,\"summary_text\":null,\"hidden\":null,\"metadata\":null,"
                + "\"workstream_id\":null,\"summary_source\":null}");
        assertThat(nulls.get("name").asText()).isEqualTo("rules");
        assertThat(nulls.get("status").asText()).isEqualTo("active");
        assertThat(nulls.has("summary_text")).isFalse();
        assertThat(micros(nulls, "updated_at")).isGreaterThan(micros(empty, "updated_at"));

        JsonNode summary = patchTask(id, "{\"summary_text\":\"Waiting on vendor\"}");
        assertThat(summary.get("summary_text").asText()).isEqualTo("Waiting on vendor");
        assertThat(summary.get("summary_source").asText()).isEqualTo("manual");
        assertThat(summary.get("summary_updated_at")).isEqualTo(summary.get("updated_at"));

        JsonNode sourceOnly = patchTask(id, "{\"summary_source\":\"claude\"}");
        assertThat(sourceOnly.get("summary_source").asText()).as("summary_source alone changes nothing").isEqualTo("manual");
        assertThat(sourceOnly.get("summary_updated_at")).isEqualTo(summary.get("summary_updated_at"));

        JsonNode bySource = patchTask(id, "{\"summary_text\":\"Done by agent\",\"summary_source\":\"claude\"}");
        assertThat(bySource.get("summary_source").asText()).isEqualTo("claude");
        assertThat(micros(bySource, "summary_updated_at")).isGreaterThan(micros(summary, "summary_updated_at"));

        JsonNode meta = patchTask(id, "{\"metadata\":{\"a\":1,\"b\":{\"c\":[1,2]}}}");
        assertThat(meta.get("metadata").toString()).isEqualTo("{\"a\":1,\"b\":{\"c\":[1,2]}}");
        JsonNode replaced = patchTask(id, "{\"metadata\":{\"z\":true}}");
        assertThat(replaced.get("metadata").toString()).as("metadata replaces").isEqualTo("{\"z\":true}");

        JsonNode hidden = patchTask(id, "{\"hidden\":true}");
        assertThat(hidden.has("hidden_at")).isTrue();
        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + ws)))).doesNotContain(id);
        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + ws + "&include_hidden=true")))).contains(id);
        JsonNode again = patchTask(id, "{\"hidden\":true}");
        assertThat(again.get("hidden_at")).as("a hidden task keeps its first hidden_at").isEqualTo(hidden.get("hidden_at"));
        JsonNode shown = patchTask(id, "{\"hidden\":false}");
        assertThat(shown.has("hidden_at")).isFalse();
        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + ws)))).contains(id);

        String ws2 = workstream("Rules 2").get("id").asText();
        JsonNode moved = patchTask(id, "{\"workstream_id\":\"" + ws2 + "\",\"name\":\"renamed\",\"status\":\"done\"}");
        assertThat(moved.get("workstream_id").asText()).isEqualTo(ws2);
        assertThat(moved.get("name").asText()).isEqualTo("renamed");
        assertThat(moved.get("status").asText()).isEqualTo("done");
        assertThat(moved.get("summary_text").asText()).as("untouched fields stay").isEqualTo("Done by agent");
        assertThat(ids(api().expect(200, api().get("/api/tasks?workstream_id=" + ws2)))).containsExactly(id);

        long last = micros(moved, "updated_at");
        for (int i = 0; i < 20; i++) {
            long next = micros(patchTask(id, "{}"), "updated_at");
            assertThat(next).as("PATCH %d", i).isGreaterThan(last);
            last = next;
        }
    }

    @Test
    void workstreamPatchAndArchive() {
        JsonNode ws = api().expect(201, api().post("/api/workstreams", "{\"name\":\"Archive me\",\"metadata\":{\"k\":1}}"));
        String id = ws.get("id").asText();
        JsonNode renamed = api().expect(200, api().patch("/api/workstreams/" + id, "{\"name\":\"Archived\",\"metadata\":null}"));
        assertThat(renamed.get("name").asText()).isEqualTo("Archived");
        assertThat(renamed.get("metadata").toString()).isEqualTo("{\"k\":1}");
        assertThat(micros(renamed, "updated_at")).isGreaterThan(micros(ws, "updated_at"));
        JsonNode archived = api().expect(200, api().patch("/api/workstreams/" + id.toUpperCase(), "{\"status\":\"archived\"}"));
        assertThat(archived.get("status").asText()).isEqualTo("archived");
        assertThat(ids(api().expect(200, api().get("/api/workstreams")))).doesNotContain(id);
        assertThat(ids(api().expect(200, api().get("/api/workstreams?include_archived=true")))).contains(id);
        assertThat(ids(api().expect(200, api().get("/api/workstreams?include_archived=false")))).doesNotContain(id);
        JsonNode back = api().expect(200, api().patch("/api/workstreams/" + id, "{\"status\":\"active\",\"metadata\":{}}"));
        assertThat(back.get("metadata").toString()).isEqualTo("{}");
        assertThat(ids(api().expect(200, api().get("/api/workstreams")))).contains(id);
    }

    @Test
    void concurrentPatchesOfOneTaskLoseNoChange() throws Exception {
        String ws = workstream("Concurrent").get("id").asText();
        String id = task(ws, "contended").get("id").asText();
        List<String> patches = List.of("{\"name\":\"n2\"}", "{\"status\":\"blocked\"}", "{\"summary_text\":\"s\"}",
                "{\"hidden\":true}", "{\"metadata\":{\"m\":1}}");
        ExecutorService pool = Executors.newFixedThreadPool(patches.size());
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<JsonNode>> done = new ArrayList<>();
                for (String p : patches) {
                    done.add(pool.submit(() -> patchTask(id, p)));
                }
                for (Future<JsonNode> f : done) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode t = api().expect(200, api().get("/api/tasks?include_hidden=true&workstream_id=" + ws)).get("items").get(0);
        assertThat(t.get("name").asText()).isEqualTo("n2");
        assertThat(t.get("status").asText()).isEqualTo("blocked");
        assertThat(t.get("summary_text").asText()).isEqualTo("s");
        assertThat(t.has("hidden_at")).isTrue();
        assertThat(t.get("metadata").toString()).isEqualTo("{\"m\":1}");
    }

    /** Everything a client can see of workstreams and tasks. */
    private String snapshot() {
        return api().get("/api/workstreams?include_archived=true").body() + api().get("/api/tasks?include_hidden=true").body();
    }

    private void refused(int code, String kind, WorkClient.Answer a) {
        assertThat(a.status()).as(a.body()).isEqualTo(code);
        JsonNode body = a.json();
        assertThat(body.get("code").asInt()).isEqualTo(code);
        assertThat(body.get("error").asText()).isEqualTo(kind);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    @Test
    void everyRefusalChangesNothing() {
        String ws = workstream("Refusals").get("id").asText();
        String id = task(ws, "untouched").get("id").asText();
        String unknown = UUID.randomUUID().toString();
        WorkClient api = api();
        String before = snapshot();
        List<Runnable> checks = List.of(
                () -> refused(422, "invalid_input", api.post("/api/workstreams", "{}")),
                () -> refused(422, "invalid_input", api.post("/api/workstreams", "{\"name\":\"  \"}")),
                () -> refused(422, "invalid_input", api.post("/api/workstreams", "{\"name\":\"" + "x".repeat(201) + "\"}")),
                () -> refused(422, "invalid_input", api.post("/api/workstreams", "{\"name\":\"a\",\"metadata\":[1]}")),
                () -> refused(422, "invalid_input", api.post("/api/workstreams", "{\"name\":\"a\",\"colour\":\"red\"}")),
                () -> refused(422, "invalid_input", api.post("/api/workstreams", "[]")),
                () -> refused(400, "invalid_input", api.post("/api/workstreams", "{\"name\":")),
                () -> refused(400, "invalid_input", api.post("/api/workstreams", "")),
                () -> refused(400, "invalid_input", api.post("/api/workstreams?dry_run=1", "{\"name\":\"q\"}")),
                () -> refused(415, "unsupported_media_type", api.send("POST", "/api/workstreams", "text/plain", "{\"name\":\"t\"}")),
                () -> refused(413, "payload_too_large", api.post("/api/workstreams",
                        "{\"name\":\"big\",\"metadata\":{\"x\":\"" + "y".repeat(5000) + "\"}}")),
                () -> refused(404, "not_found", api.post("/api/tasks", "{\"workstream_id\":\"" + unknown + "\",\"name\":\"t\"}")),
                () -> refused(422, "invalid_input", api.post("/api/tasks", "{\"workstream_id\":\"nope\",\"name\":\"t\"}")),
                () -> refused(422, "invalid_input", api.post("/api/tasks", "{\"name\":\"t\"}")),
                () -> refused(404, "not_found", api.patch("/api/tasks/" + unknown, "{\"name\":\"x\"}")),
                () -> refused(404, "not_found", api.patch("/api/tasks/not-a-uuid", "{\"name\":\"x\"}")),
                () -> refused(404, "not_found", api.patch("/api/tasks/" + id, "{\"workstream_id\":\"" + unknown + "\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"status\":\"finished\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"status\":\"Active\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"hidden\":\"yes\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"name\":\"\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"metadata\":\"{}\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"summary_text\":\"s\",\"summary_source\":\"\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + id, "{\"id\":\"" + unknown + "\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/tasks/" + unknown, "{\"status\":\"finished\"}")),
                () -> refused(400, "invalid_input", api.patch("/api/tasks/" + id, "not json")),
                () -> refused(404, "not_found", api.patch("/api/workstreams/" + unknown, "{\"name\":\"x\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/workstreams/" + ws, "{\"status\":\"deleted\"}")),
                () -> refused(422, "invalid_input", api.patch("/api/workstreams/" + ws, "{\"summary_text\":\"x\"}")),
                () -> refused(400, "invalid_input", api.get("/api/tasks?bogus=1")),
                () -> refused(400, "invalid_input", api.get("/api/tasks?status=finished")),
                () -> refused(400, "invalid_input", api.get("/api/tasks?workstream_id=nope")),
                () -> refused(400, "invalid_input", api.get("/api/tasks?include_hidden=yes")),
                () -> refused(400, "invalid_input", api.get("/api/tasks?status=done&status=active")),
                () -> refused(400, "invalid_input", api.get("/api/workstreams?include_archived=1")),
                () -> refused(405, "method_not_allowed", api.send("DELETE", "/api/tasks/" + id, null, null)),
                () -> refused(405, "method_not_allowed", api.send("PUT", "/api/workstreams", "application/json", "{}")),
                () -> refused(404, "not_found", api.get("/api/nope")),
                () -> refused(405, "method_not_allowed", api.get("/api/tasks/" + id)),
                () -> refused(401, "unauthorized", new WorkClient(TestServer.of(APP).url(), null).patch("/api/tasks/" + id, "{\"name\":\"x\"}")),
                () -> refused(401, "unauthorized", new WorkClient(TestServer.of(APP).url(), "wrong").get("/api/tasks")),
                () -> refused(403, "forbidden", new WorkClient(TestServer.of(APP).url(), "read-only-key")
                        .post("/api/workstreams", "{\"name\":\"ro\"}")),
                () -> refused(403, "forbidden", new WorkClient(TestServer.of(APP).url(), "ingest-only-key").get("/api/tasks")));
        for (int i = 0; i < checks.size(); i++) {
            checks.get(i).run();
            assertThat(snapshot()).as("after refusal %d", i).isEqualTo(before);
        }
        WorkClient.Answer events = new WorkClient(TestServer.of(APP).url(), null).get("/events");
        assertThat(events.json().has("error")).as("only /api errors carry Monitor's kind").isFalse();
    }
}
