package dev.argus.service.updates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.ArgusApplication;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.github.GithubSignature;
import dev.argus.service.work.WorkClient;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /hooks/github} on a real server (SPEC §14): signed deliveries from GitHub's payloads. */
@ExtendWith(DropwizardExtensionsSupport.class)
class GithubHooksIT {
    static final String SECRET = "It's a Secret to Everybody";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DropwizardAppExtension<ArgusConfiguration> APP = app(tempDb(), "");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A test server whose config adds {@code github:} with the secret and {@code routesYaml}. */
    static DropwizardAppExtension<ArgusConfiguration> app(String dbPath, String routesYaml) {
        try {
            String base = Files.readString(Path.of(ResourceHelpers.resourceFilePath("test-server.yml")));
            Path config = Files.createTempFile("argus-github", ".yml");
            Files.writeString(config, base + "\ngithub:\n  webhookSecret: \"" + SECRET + "\"\n" + routesYaml);
            return new DropwizardAppExtension<>(ArgusApplication.class, config.toString(),
                    ConfigOverride.config("database.path", dbPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tempDb() {
        try {
            return Files.createTempDirectory("argus-github").resolve("events.db").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fixture(String name) {
        try (InputStream in = GithubHooksIT.class.getResourceAsStream("/github/" + name + ".json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Answer(int status, String body) {
        JsonNode json() {
            return TestServer.json(body);
        }
    }

    static Answer deliver(HttpClient http, String url, String query, String event, String delivery, String signature,
                          byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/hooks/github" + query))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", event)
                .header("User-Agent", "GitHub-Hookshot/abc123")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (delivery != null) {
            b.header("X-GitHub-Delivery", delivery);
        }
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String url() {
        return TestServer.of(APP).url();
    }

    private Answer deliver(String query, String event, String delivery, byte[] body) {
        return deliver(http, url(), query, event, delivery, GithubSignature.sign(SECRET, body), body);
    }

    private WorkClient api() {
        return new WorkClient(url(), TestServer.KEY);
    }

    private long newestEventId() {
        JsonNode page = api().expect(200, api().get("/events?limit=1"));
        return page.get("events").size() == 0 ? 0 : page.get("events").get(0).get("id").asLong();
    }

    private String task() {
        String ws = api().expect(201, api().post("/api/workstreams", "{\"name\":\"gh\"}")).get("id").asText();
        return api().expect(201, api().post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"gh\"}")).get("id").asText();
    }

    @Test
    void everyMappedEventIsStoredOnceWithItsLineLevelAndSmallData() {
        Map<String, String> lines = Map.of(
                "push", "Pushed ",
                "pull_request", "PR #",
                "workflow_run", "Workflow 'CI' completed: failure on main",
                "workflow_job", "Job '",
                "check_run", "Check '",
                "check_suite", "Check suite",
                "issues", "Issue #",
                "release", "Release ",
                "star", "");
        for (var e : lines.entrySet()) {
            String event = e.getKey();
            String delivery = UUID.randomUUID().toString();
            Answer a = deliver("", event, delivery, fixture(event));
            assertThat(a.status()).as(event + ": " + a.body()).isEqualTo(201);
            assertThat(a.json().get("status").asText()).isEqualTo("captured");
            JsonNode stored = api().expect(200, api().get("/events/" + a.json().get("event_id").asLong()));
            assertThat(stored.get("source").asText()).isEqualTo("github:acme/widgets");
            assertThat(stored.get("event_type").asText()).isEqualTo("github." + event);
            assertThat(stored.get("uuid").asText()).isEqualTo(delivery);
            assertThat(stored.get("message").asText()).as(event).startsWith(e.getValue()).isNotBlank();
            assertThat(stored.get("tags").get(0).asText()).isEqualTo(event);
            assertThat(stored.get("data").get("repository").asText()).isEqualTo("acme/widgets");
            assertThat(stored.get("data").toString().length()).as("curated data, not the payload").isLessThan(2048);
            assertThat(stored.get("task_id").isNull()).isTrue();
            if (event.equals("workflow_run")) {
                assertThat(stored.get("level").asText()).isEqualTo("error");
            }
        }
    }

    @Test
    void pingAnswersPongAndStoresNothing() {
        long before = newestEventId();
        Answer a = deliver("", "ping", UUID.randomUUID().toString(), fixture("ping"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("{\"status\":\"pong\"}");
        assertThat(newestEventId()).isEqualTo(before);
    }

    @Test
    void badSignaturesAreRefusedAndStoreNothing() {
        byte[] body = fixture("issues");
        long before = newestEventId();
        String d = UUID.randomUUID().toString();
        Answer missing = deliver(http, url(), "", "issues", d, null, body);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("code").asInt()).isEqualTo(401);
        assertThat(deliver(http, url(), "", "issues", d, "sha256=" + "0".repeat(64), body).status()).isEqualTo(401);
        assertThat(deliver(http, url(), "", "issues", d, GithubSignature.sign("another secret", body), body).status())
                .isEqualTo(401);
        byte[] other = new String(body, StandardCharsets.UTF_8).replace("\"closed\"", "\"reopened\"").getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(http, url(), "", "issues", d, GithubSignature.sign(SECRET, other), body).status())
                .as("a signature over a different body").isEqualTo(401);
        String sha256 = GithubSignature.sign(SECRET, body);
        assertThat(deliver(http, url(), "", "issues", d, "sha1=" + sha256.substring(7, 47), body).status()).isEqualTo(401);
        assertThat(deliver(http, url(), "", "issues", d, sha256.toUpperCase(), body).status()).isEqualTo(401);
        assertThat(deliver(http, url(), "?api_key=" + TestServer.KEY, "issues", d, null, body).status())
                .as("a key is no substitute for the signature").isEqualTo(401);
        assertThat(newestEventId()).isEqualTo(before);
        assertThat(deliver("", "issues", d, body).status()).as("the same delivery, signed").isEqualTo(201);
    }

    @Test
    void redeliveryIsStoredOnce() {
        String d = UUID.randomUUID().toString();
        Answer first = deliver("", "check_run", d, fixture("check_run"));
        assertThat(first.status()).isEqualTo(201);
        long after = newestEventId();
        Answer again = deliver("", "check_run", d, fixture("check_run"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(again.json().get("event_id").asLong()).isEqualTo(first.json().get("event_id").asLong());
        assertThat(newestEventId()).isEqualTo(after);
    }

    @Test
    void tenMegabyteDeliveryIsAcceptedWithSmallData() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture("push"));
        root.remove("commits");
        String filler = "x".repeat(1000);
        StringBuilder sb = new StringBuilder("{\"commits\":[");
        int n = 0;
        while (sb.length() < 10 * 1024 * 1024) {
            sb.append(n == 0 ? "" : ",").append("{\"id\":\"c").append(n).append("\",\"message\":\"").append(filler).append("\"}");
            n++;
        }
        sb.append("],").append(JSON.writeValueAsString(root).substring(1));
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        Answer a = deliver("", "push", UUID.randomUUID().toString(), body);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        JsonNode stored = api().expect(200, api().get("/events/" + a.json().get("event_id").asLong()));
        assertThat(stored.get("message").asText()).isEqualTo("Pushed " + n + " commits to main");
        assertThat(stored.get("data").toString().length()).isLessThan(2048);
    }

    @Test
    void taskFromTheUrlParameterAndUnknownTasksRefused() {
        String task = task();
        Answer a = deliver("?task_id=" + task, "workflow_job", UUID.randomUUID().toString(), fixture("workflow_job"));
        assertThat(a.status()).isEqualTo(201);
        JsonNode update = api().expect(200, api().get("/api/updates?task_id=" + task)).get("items").get(0);
        assertThat(update.get("seq").asLong()).isEqualTo(a.json().get("event_id").asLong());
        assertThat(update.get("kind").asText()).isEqualTo("github.workflow_job");

        long before = newestEventId();
        Answer unknown = deliver("?task_id=00000000-0000-4000-8000-000000000000", "workflow_job",
                UUID.randomUUID().toString(), fixture("workflow_job"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body()).contains("task_id");
        assertThat(deliver("?task=x", "workflow_job", UUID.randomUUID().toString(), fixture("workflow_job")).status())
                .as("an unknown query parameter").isEqualTo(400);
        assertThat(newestEventId()).isEqualTo(before);
    }

    @Test
    void tasksFromGithubRoutes() throws Exception {
        String db = tempDb();
        DropwizardAppExtension<ArgusConfiguration> first = app(db, "");
        first.before();
        String mainTask;
        String anyTask;
        try {
            WorkClient c = new WorkClient("http://127.0.0.1:" + first.getLocalPort(), TestServer.KEY);
            String ws = c.expect(201, c.post("/api/workstreams", "{\"name\":\"routes\"}")).get("id").asText();
            mainTask = c.expect(201, c.post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"main\"}")).get("id").asText();
            anyTask = c.expect(201, c.post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"any\"}")).get("id").asText();
        } finally {
            first.after();
        }
        DropwizardAppExtension<ArgusConfiguration> second = app(db, "  routes:\n"
                + "    - repository: other/repo\n      task_id: \"00000000-0000-4000-8000-000000000000\"\n"
                + "    - repository: ACME/widgets\n      branch: main\n      task_id: \"" + mainTask + "\"\n"
                + "    - repository: acme/*\n      task_id: \"" + anyTask + "\"\n");
        second.before();
        try {
            String u = "http://127.0.0.1:" + second.getLocalPort();
            WorkClient c = new WorkClient(u, TestServer.KEY);
            byte[] run = fixture("workflow_run");
            Answer onMain = deliver(http, u, "", "workflow_run", UUID.randomUUID().toString(), GithubSignature.sign(SECRET, run), run);
            assertThat(onMain.status()).as(onMain.body()).isEqualTo(201);
            assertThat(c.expect(200, c.get("/events/" + onMain.json().get("event_id").asLong())).get("task_id").asText())
                    .isEqualTo(mainTask);
            byte[] star = fixture("star");
            Answer noBranch = deliver(http, u, "", "star", UUID.randomUUID().toString(), GithubSignature.sign(SECRET, star), star);
            assertThat(c.expect(200, c.get("/events/" + noBranch.json().get("event_id").asLong())).get("task_id").asText())
                    .as("a delivery without a branch skips the branch rule").isEqualTo(anyTask);
            Answer byParam = deliver(http, u, "?task_id=" + anyTask, "workflow_run", UUID.randomUUID().toString(),
                    GithubSignature.sign(SECRET, run), run);
            assertThat(c.expect(200, c.get("/events/" + byParam.json().get("event_id").asLong())).get("task_id").asText())
                    .as("?task_id= wins over routes").isEqualTo(anyTask);
        } finally {
            second.after();
        }
    }
}
