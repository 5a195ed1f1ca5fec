package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusApplication;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.updates.SseReader;
import dev.argus.service.work.WorkClient;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.util.JarLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitor's own end-to-end checklist (SPEC §13) through the {@code argus} CLI and HTTP: workstream
 * and task, manual updates with tags, {@code tag} any-of, paging with {@code after_seq}, the live
 * {@code /api/stream} with {@code id} = seq, a status and summary change seen as {@code task_updated},
 * strict vs relaxed auth.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MonitorChecklistIT {
    static final DropwizardAppExtension<ArgusConfiguration> STRICT = TestServer.extension();
    static final DropwizardAppExtension<ArgusConfiguration> RELAXED = TestServer.extension(
            ConfigOverride.config("auth.mode", "relaxed"));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private JsonNode argus(DropwizardAppExtension<ArgusConfiguration> app, String... args) throws Exception {
        out.reset();
        err.reset();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Bootstrap<ArgusConfiguration> bootstrap = new Bootstrap<>(new ArgusApplication());
        for (Command c : List.of(new WorkstreamCommand(o, e), new TaskCommand(o, e), new UpdateCommand(o, e))) {
            bootstrap.addCommand(c);
        }
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--url";
        all[args.length + 1] = TestServer.of(app).url();
        all[args.length + 2] = "--key";
        all[args.length + 3] = TestServer.KEY;
        Optional<Throwable> failure = new Cli(new JarLocation(getClass()), bootstrap, o, e).run(all);
        assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return TestServer.json(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> messages(JsonNode page) {
        List<String> m = new ArrayList<>();
        page.get("items").forEach(i -> m.add(i.get("message").asText()));
        return m;
    }

    @Test
    void monitorsChecklist() throws Exception {
        String url = TestServer.of(STRICT).url();
        WorkClient api = new WorkClient(url, TestServer.KEY);
        String ws = argus(STRICT, "workstream", "create", "Checklist").get("id").asText();
        String task = argus(STRICT, "task", "create", "Ship it", "--workstream", ws).get("id").asText();

        try (SseReader stream = SseReader.open(url, "/api/stream?task_id=" + task, "X-API-Key", TestServer.KEY)) {
            JsonNode u1 = argus(STRICT, "update", "manual", "--task", task, "--message", "started", "--tags", "a,b");
            JsonNode u2 = argus(STRICT, "update", "manual", "--task", task, "--message", "deployed", "--tags", "c",
                    "--kind", "deploy", "--level", "warn");
            JsonNode u3 = argus(STRICT, "update", "manual", "--task", task, "--message", "checked", "--tags", "b",
                    "--data", "{\"ok\":true}");
            assertThat(u1.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
            assertThat(u2.get("kind").asText()).isEqualTo("deploy");
            assertThat(u3.get("data").get("ok").asBoolean()).isTrue();

            assertThat(messages(api.expect(200, api.get("/api/updates?task_id=" + task + "&tag=a&tag=c"))))
                    .containsExactly("started", "deployed");
            JsonNode first = api.expect(200, api.get("/api/updates?task_id=" + task + "&limit=1"));
            assertThat(messages(first)).containsExactly("started");
            assertThat(first.get("total").asInt()).isEqualTo(3);
            long seq = first.get("items").get(0).get("seq").asLong();
            assertThat(messages(api.expect(200, api.get("/api/updates?task_id=" + task + "&limit=1&after_seq=" + seq))))
                    .containsExactly("deployed");

            for (JsonNode u : List.of(u1, u2, u3)) {
                SseReader.Frame f = stream.next(30);
                assertThat(f.event()).isEqualTo("update");
                assertThat(f.id()).isEqualTo(u.get("seq").asText());
                assertThat(f.json()).isEqualTo(u);
            }

            JsonNode changed = argus(STRICT, "task", "update", task, "--status", "done", "--summary", "Shipped");
            SseReader.Frame f = stream.next(30);
            assertThat(f.event()).isEqualTo("task_updated");
            assertThat(f.id()).isNull();
            assertThat(f.json()).isEqualTo(changed);
            assertThat(f.json().get("status").asText()).isEqualTo("done");
            assertThat(f.json().get("summary_text").asText()).isEqualTo("Shipped");
        }

        // strict: reads need a key too
        WorkClient anonymous = new WorkClient(url, null);
        assertThat(anonymous.get("/api/updates?task_id=" + task).status()).isEqualTo(401);
        assertThat(anonymous.get("/api/updates?task_id=" + task).json().get("error").asText()).isEqualTo("unauthorized");
        try (SseReader s = SseReader.open(url, "/api/stream")) {
            assertThat(s.status()).isEqualTo(401);
        }
    }

    @Test
    void relaxedModeOpensReadsButNotWrites() throws Exception {
        String url = TestServer.of(RELAXED).url();
        String ws = argus(RELAXED, "workstream", "create", "Relaxed").get("id").asText();
        String task = argus(RELAXED, "task", "create", "R", "--workstream", ws).get("id").asText();
        WorkClient anonymous = new WorkClient(url, null);
        try (SseReader s = SseReader.open(url, "/api/stream?task_id=" + task)) {
            assertThat(s.status()).isEqualTo(200);
            JsonNode u = argus(RELAXED, "update", "manual", "--task", task, "--message", "hello");
            assertThat(s.next(30).id()).isEqualTo(u.get("seq").asText());
        }
        assertThat(anonymous.expect(200, anonymous.get("/api/updates?task_id=" + task)).get("total").asInt()).isEqualTo(1);
        assertThat(anonymous.post("/api/updates/manual", "{\"task_id\":\"" + task + "\",\"message\":\"x\"}").status())
                .isEqualTo(401);
        assertThat(new WorkClient(url, TestServer.KEY).expect(200, new WorkClient(url, TestServer.KEY)
                .get("/api/updates?task_id=" + task)).get("total").asInt()).as("the refused write stored nothing").isEqualTo(1);
    }
}
