package dev.argus.service.updates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.work.WorkClient;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Updates over HTTP (SPEC §13.1, §13.2): the POST routes, {@code GET /api/updates} and {@code GET /api/stream}. */
@ExtendWith(DropwizardExtensionsSupport.class)
class UpdatesApiIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension(
            ConfigOverride.config("limits.maxBatchEvents", "1000"),
            ConfigOverride.config("limits.maxBatchSizeKb", "2048"),
            ConfigOverride.config("limits.maxPayloadSizeKb", "64"));

    private static final String UNKNOWN_TASK = "00000000-0000-4000-8000-000000000000";

    private WorkClient api() {
        return new WorkClient(url(), TestServer.KEY);
    }

    private static String url() {
        return TestServer.of(APP).url();
    }

    private String task() {
        String ws = api().expect(201, api().post("/api/workstreams", "{\"name\":\"ws " + UUID.randomUUID() + "\"}"))
                .get("id").asText();
        return api().expect(201, api().post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"t\"}"))
                .get("id").asText();
    }

    private JsonNode manual(String task, String message, String extra) {
        return api().expect(201, api().post("/api/updates/manual",
                "{\"task_id\":\"" + task + "\",\"message\":\"" + message + "\"" + extra + "}"));
    }

    private long newestEventId() {
        JsonNode page = api().expect(200, api().get("/events?limit=1"));
        return page.get("events").size() == 0 ? 0 : page.get("events").get(0).get("id").asLong();
    }

    private static List<Long> seqs(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("seq").asLong()));
        return out;
    }

    @Test
    void manualUpdateIsADurableEventWithAServerMadeUuid() {
        String task = task();
        WorkClient.Answer raw = api().post("/api/updates/manual", "{\"task_id\":\"" + task
                + "\",\"message\":\"Deployed to staging\",\"level\":\"WARNING\",\"tags\":[\"deploy\",\"staging\"],\"data\":{\"n\":1.50}}");
        assertThat(raw.body()).as("data comes back as sent").contains("\"data\":{\"n\":1.50}");
        JsonNode u = api().expect(201, raw);
        assertThat(u.get("seq").asLong()).isPositive();
        assertThat(UUID.fromString(u.get("id").asText()).toString()).isEqualTo(u.get("id").asText());
        assertThat(u.get("task_id").asText()).isEqualTo(task);
        assertThat(u.get("source").asText()).isEqualTo("manual");
        assertThat(u.get("kind").asText()).isEqualTo("update");
        assertThat(u.get("level").asText()).isEqualTo("warn");
        assertThat(u.get("message").asText()).isEqualTo("Deployed to staging");
        assertThat(u.get("tags").toString()).isEqualTo("[\"deploy\",\"staging\"]");
        assertThat(u.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        JsonNode event = api().expect(200, api().get("/events/" + u.get("seq").asLong()));
        assertThat(event.get("uuid").asText()).isEqualTo(u.get("id").asText());
        assertThat(event.get("task_id").asText()).isEqualTo(task);
        assertThat(event.get("event_type").asText()).isEqualTo("update");
        assertThat(manual(task, "k", ",\"kind\":\"deploy\"").get("kind").asText()).isEqualTo("deploy");

        // Any event with a task_id and no uuid gets one; one without a task_id does not.
        long withTask = api().expect(201, api().post("/events",
                "{\"source\":\"ci\",\"event_type\":\"build\",\"task_id\":\"" + task + "\"}")).get("event_id").asLong();
        assertThat(UUID.fromString(api().expect(200, api().get("/events/" + withTask)).get("uuid").asText())).isNotNull();
        long without = api().expect(201, api().post("/events", "{\"source\":\"ci\",\"event_type\":\"build\"}")).get("event_id").asLong();
        assertThat(api().expect(200, api().get("/events/" + without)).get("uuid").isNull()).isTrue();
        // The update is an event: GET /events?task_id= finds it.
        assertThat(api().expect(200, api().get("/events?task_id=" + task)).get("events").size()).isEqualTo(3);
    }

    @Test
    void listFiltersPagesAndCountsEveryMatch() {
        String task = task();
        String other = task();
        long a = manual(task, "one", ",\"tags\":[\"a\"]").get("seq").asLong();
        long b = manual(task, "two", ",\"tags\":[\"b\"],\"kind\":\"deploy\"").get("seq").asLong();
        long c = manual(task, "three", ",\"tags\":[\"c\"]").get("seq").asLong();
        long d = manual(task, "four", ",\"tags\":[\"a\",\"c\"]").get("seq").asLong();
        manual(other, "elsewhere", ",\"tags\":[\"a\"]");

        JsonNode all = api().expect(200, api().get("/api/updates?task_id=" + task));
        assertThat(seqs(all)).containsExactly(a, b, c, d);
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(seqs(api().expect(200, api().get("/api/updates?task_id=" + task + "&tag=a&tag=b"))))
                .as("repeated tag = any of").containsExactly(a, b, d);
        assertThat(seqs(api().expect(200, api().get("/api/updates?task_id=" + task + "&kind=deploy")))).containsExactly(b);
        assertThat(seqs(api().expect(200, api().get("/api/updates?task_id=" + task + "&source=manual")))).hasSize(4);
        assertThat(seqs(api().expect(200, api().get("/api/updates?task_id=" + task + "&source=ci")))).isEmpty();

        JsonNode page = api().expect(200, api().get("/api/updates?task_id=" + task + "&limit=2"));
        assertThat(seqs(page)).containsExactly(a, b);
        assertThat(page.get("total").asLong()).as("total counts every match").isEqualTo(4);
        JsonNode next = api().expect(200, api().get("/api/updates?task_id=" + task + "&limit=2&after_seq=" + b));
        assertThat(seqs(next)).as("after_seq is exclusive").containsExactly(c, d);
        assertThat(seqs(api().expect(200, api().get("/api/updates?task_id=" + task + "&limit=0"))))
                .as("limit clamped up to 1").containsExactly(a);
        assertThat(seqs(api().expect(200, api().get("/api/updates?task_id=" + task + "&limit=100000")))).hasSize(4);
        assertThat(seqs(api().expect(200, api().get("/api/updates?tag=a"))))
                .as("no task_id: every task's updates").contains(a, d).hasSizeGreaterThanOrEqualTo(3);

        WorkClient.Answer unknown = api().get("/api/updates?task=" + task);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_input");
        assertThat(unknown.json().get("message").asText()).contains("task");
        assertThat(api().get("/api/updates?after_seq=-1").status()).isEqualTo(400);
        assertThat(api().get("/api/updates?limit=ten").status()).isEqualTo(400);
    }

    @Test
    void limitDefaultsTo50AndClampsAt200() {
        String task = task();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 250; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"source\":\"ci\",\"event_type\":\"step\",\"task_id\":\"").append(task).append("\"}");
        }
        api().expect(201, api().post("/events/batch", batch.append(']').toString()));
        JsonNode def = api().expect(200, api().get("/api/updates?task_id=" + task));
        assertThat(def.get("items").size()).isEqualTo(50);
        assertThat(def.get("total").asLong()).isEqualTo(250);
        assertThat(api().expect(200, api().get("/api/updates?task_id=" + task + "&limit=201")).get("items").size()).isEqualTo(200);
    }

    @Test
    void refusalsAreMonitorShapedAndStoreNothing() {
        String task = task();
        long before = newestEventId();
        WorkClient.Answer notFound = api().post("/api/updates/manual", "{\"task_id\":\"" + UNKNOWN_TASK + "\",\"message\":\"x\"}");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().get("code").asInt()).isEqualTo(404);
        assertThat(notFound.json().get("error").asText()).isEqualTo("not_found");
        assertThat(notFound.json().get("message").asText()).isNotBlank();
        assertThat(api().post("/api/updates/claude-hook", "{\"task_id\":\"" + UNKNOWN_TASK
                + "\",\"payload\":{\"hook_event_name\":\"Stop\"}}").status()).isEqualTo(404);
        assertThat(api().post("/api/updates/github-webhook", "{\"task_id\":\"" + UNKNOWN_TASK
                + "\",\"headers\":{\"X-GitHub-Event\":\"star\"},\"payload\":{}}").status()).isEqualTo(404);

        String t = "\"task_id\":\"" + task + "\"";
        for (String body : List.of("{" + t + "}", "{\"message\":\"no task\"}", "{" + t + ",\"message\":1}",
                "{" + t + ",\"message\":\"x\",\"level\":\"loud\"}", "{" + t + ",\"message\":\"x\",\"extra\":1}",
                "{" + t + ",\"message\":\"x\",\"data\":[1]}", "{" + t + ",\"message\":\"x\",\"tags\":[\"" + "t".repeat(65) + "\"]}",
                "{\"task_id\":\"not-a-uuid\",\"message\":\"x\"}", "[]")) {
            WorkClient.Answer a = api().post("/api/updates/manual", body);
            assertThat(a.status()).as(body).isEqualTo(422);
            assertThat(a.json().get("error").asText()).isEqualTo("invalid_input");
        }
        assertThat(api().post("/api/updates/manual", "{\"task_id\":").status()).isEqualTo(400);
        assertThat(api().send("POST", "/api/updates/manual", "text/plain", "{" + t + ",\"message\":\"x\"}").status()).isEqualTo(415);
        assertThat(api().post("/api/updates/claude-hook", "{" + t + ",\"payload\":{\"session_id\":\"s\"}}").status())
                .as("a hook without hook_event_name").isEqualTo(422);
        assertThat(api().post("/api/updates/claude-hook", "{" + t + ",\"payload\":\"x\"}").status()).isEqualTo(422);
        assertThat(api().post("/api/updates/github-webhook", "{" + t + ",\"payload\":{}}").status())
                .as("no X-GitHub-Event").isEqualTo(422);
        assertThat(new WorkClient(url(), "read-only-key").post("/api/updates/manual", "{" + t + ",\"message\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(new WorkClient(url(), null).post("/api/updates/manual", "{" + t + ",\"message\":\"x\"}").status())
                .isEqualTo(401);
        assertThat(newestEventId()).as("nothing stored").isEqualTo(before);
        assertThat(api().expect(200, api().get("/api/updates?task_id=" + task)).get("total").asLong()).isZero();
    }

    @Test
    void claudeHookAndGithubEnvelopesBecomeUpdates() throws Exception {
        String task = task();
        JsonNode hook = api().expect(201, api().post("/api/updates/claude-hook", "{\"task_id\":\"" + task + "\",\"payload\":"
                + "{\"session_id\":\"sess-env\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                + "\"tool_input\":{\"command\":\"npm test\"},\"tool_use_id\":\"tu1\"}}"));
        assertThat(hook.get("source").asText()).isEqualTo("claude-code");
        assertThat(hook.get("kind").asText()).isEqualTo("hook");
        assertThat(hook.get("message").asText()).isEqualTo("Bash: npm test");
        assertThat(hook.get("task_id").asText()).isEqualTo(task);
        assertThat(hook.get("data").get("tool_input").get("command").asText()).isEqualTo("npm test");
        assertThat(api().expect(200, api().get("/events/" + hook.get("seq").asLong())).get("hook").asText()).isEqualTo("PreToolUse");

        String payload;
        try (InputStream in = getClass().getResourceAsStream("/github/issues.json")) {
            payload = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String delivery = UUID.randomUUID().toString();
        String body = "{\"task_id\":\"" + task + "\",\"headers\":{\"X-GitHub-Event\":\"issues\",\"X-GitHub-Delivery\":\""
                + delivery + "\"},\"payload\":" + payload + "}";
        JsonNode gh = api().expect(201, api().post("/api/updates/github-webhook", body));
        assertThat(gh.get("id").asText()).isEqualTo(delivery);
        assertThat(gh.get("source").asText()).isEqualTo("github:acme/widgets");
        assertThat(gh.get("kind").asText()).isEqualTo("github.issues");
        assertThat(gh.get("message").asText()).startsWith("Issue #");
        JsonNode again = api().expect(200, api().post("/api/updates/github-webhook", body));
        assertThat(again.get("seq").asLong()).as("a redelivery is stored once").isEqualTo(gh.get("seq").asLong());
        assertThat(api().expect(200, api().get("/api/updates?task_id=" + task)).get("total").asLong()).isEqualTo(2);
    }

    @Test
    void streamCarriesUpdatesWithSeqIdsAndTaskEventsByFilter() throws Exception {
        String task = task();
        String other = task();
        try (SseReader filtered = SseReader.open(url(), "/api/stream?task_id=" + task, "X-API-Key", TestServer.KEY);
             SseReader all = SseReader.open(url(), "/api/stream?api_key=" + TestServer.KEY)) {
            assertThat(filtered.status()).isEqualTo(200);
            assertThat(filtered.header("Content-Type")).startsWith("text/event-stream");
            manual(other, "not for the filtered client", "");
            JsonNode u = manual(task, "live", ",\"tags\":[\"x\"]");
            SseReader.Frame f = filtered.next(30);
            assertThat(f.event()).isEqualTo("update");
            assertThat(f.id()).isEqualTo(Long.toString(u.get("seq").asLong()));
            assertThat(f.json()).isEqualTo(u);

            api().expect(200, api().patch("/api/tasks/" + task, "{\"status\":\"blocked\",\"summary_text\":\"waiting\"}"));
            SseReader.Frame changed = filtered.next(30);
            assertThat(changed.event()).isEqualTo("task_updated");
            assertThat(changed.id()).isNull();
            assertThat(changed.json().get("id").asText()).isEqualTo(task);
            assertThat(changed.json().get("status").asText()).isEqualTo("blocked");
            assertThat(changed.json().get("summary_text").asText()).isEqualTo("waiting");

            String ws = api().expect(201, api().post("/api/workstreams", "{\"name\":\"streamed\"}")).get("id").asText();
            String created = api().expect(201, api().post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"n\"}"))
                    .get("id").asText();
            List<SseReader.Frame> seen = all.until(x -> "task_created".equals(x.event()), 30);
            assertThat(seen).extracting(SseReader.Frame::event)
                    .containsSubsequence("update", "update", "task_updated", "workstream_created", "task_created");
            assertThat(seen.get(seen.size() - 1).json().get("id").asText()).isEqualTo(created);
            // A marker update to the filtered task: nothing about the new workstream or task came before it.
            long marker = manual(task, "marker", "").get("seq").asLong();
            List<SseReader.Frame> upTo = filtered.until(x -> Long.toString(marker).equals(x.id()), 30);
            assertThat(upTo).extracting(SseReader.Frame::event).containsOnly("update");
        }
    }

    @Test
    void lastEventIdWinsOverAfterSeqAndResumesWithoutGapOrDuplicate() throws Exception {
        String task = task();
        long s1 = manual(task, "1", "").get("seq").asLong();
        long s2 = manual(task, "2", "").get("seq").asLong();
        long s3 = manual(task, "3", "").get("seq").asLong();
        try (SseReader r = SseReader.open(url(), "/api/stream?task_id=" + task + "&after_seq=0",
                "X-API-Key", TestServer.KEY, "Last-Event-ID", Long.toString(s1))) {
            assertThat(r.next(30).id()).isEqualTo(Long.toString(s2));
            assertThat(r.next(30).id()).isEqualTo(Long.toString(s3));
            long s4 = manual(task, "4", "").get("seq").asLong();
            assertThat(r.next(30).id()).isEqualTo(Long.toString(s4));
        }
        try (SseReader r = SseReader.open(url(), "/api/stream?task_id=" + task + "&after_seq=" + s2,
                "X-API-Key", TestServer.KEY)) {
            assertThat(r.next(30).id()).isEqualTo(Long.toString(s3));
        }
    }

    @Test
    void replayStopsAfter1000WithCatchupOverflow() throws Exception {
        String task = task();
        List<Long> ids = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 600; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"source\":\"ci\",\"event_type\":\"step\",\"message\":\"m")
                        .append(i).append("\",\"task_id\":\"").append(task).append("\"}");
            }
            api().expect(201, api().post("/events/batch", batch.append(']').toString()))
                    .get("event_ids").forEach(n -> ids.add(n.asLong()));
        }
        try (SseReader r = SseReader.open(url(), "/api/stream?task_id=" + task + "&after_seq=0", "X-API-Key", TestServer.KEY)) {
            List<SseReader.Frame> frames = r.until(x -> !"update".equals(x.event()), 60);
            assertThat(frames).hasSize(1001);
            assertThat(frames.get(0).id()).isEqualTo(Long.toString(ids.get(0)));
            assertThat(frames.get(999).id()).isEqualTo(Long.toString(ids.get(999)));
            assertThat(frames.get(1000).event()).isEqualTo("catchup_overflow");
            assertThat(frames.get(1000).id()).isNull();
        }
    }

    @Test
    void streamNeedsAKeyAndRefusesUnknownParameters() throws Exception {
        try (SseReader r = SseReader.open(url(), "/api/stream")) {
            assertThat(r.status()).isEqualTo(401);
        }
        try (SseReader r = SseReader.open(url(), "/api/stream?after_id=1", "X-API-Key", TestServer.KEY)) {
            assertThat(r.status()).isEqualTo(400);
        }
    }

    @Test
    void githubHookFailsClosedWithoutASecret() throws Exception {
        long before = newestEventId();
        byte[] body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        for (String secret : List.of("", "guess")) {
            GithubHooksIT.Answer a = GithubHooksIT.deliver(java.net.http.HttpClient.newHttpClient(), url(), "", "ping",
                    UUID.randomUUID().toString(), dev.argus.service.github.GithubSignature.sign(secret.isEmpty() ? "x" : secret, body), body);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.json().get("message").asText()).contains("webhookSecret");
        }
        assertThat(newestEventId()).isEqualTo(before);
    }
}
