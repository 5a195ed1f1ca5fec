package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusApplication;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.util.JarLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code argus workstream|task} commands (SPEC §13.4) against the real server. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkCliIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code argus ARGS... --url URL --key KEY} in-process; the printed JSON, or null when it failed. */
    private JsonNode argus(String... args) throws Exception {
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
        all[args.length + 1] = TestServer.of(APP).url();
        all[args.length + 2] = "--key";
        all[args.length + 3] = TestServer.KEY;
        Optional<Throwable> failure = new Cli(new JarLocation(getClass()), bootstrap, o, e).run(all);
        String printed = out.toString(StandardCharsets.UTF_8);
        return failure.isEmpty() ? (printed.isEmpty() ? TestServer.json("null") : TestServer.json(printed)) : null;
    }

    @Test
    void monitorsCommandsWorkAgainstTheServer() throws Exception {
        JsonNode ws = argus("workstream", "create", "CLI MVP", "--metadata", "{\"team\":\"core\"}");
        assertThat(ws).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
        String wsId = ws.get("id").asText();
        assertThat(ws.get("metadata").get("team").asText()).isEqualTo("core");

        JsonNode task = argus("task", "create", "CLI task", "--workstream", wsId);
        String taskId = task.get("id").asText();
        assertThat(task.get("workstream_id").asText()).isEqualTo(wsId);

        JsonNode updated = argus("task", "update", taskId, "--status", "blocked", "--summary", "Waiting on vendor",
                "--summary-source", "cli", "--metadata", "{\"pr\":12}");
        assertThat(updated.get("status").asText()).isEqualTo("blocked");
        assertThat(updated.get("summary_text").asText()).isEqualTo("Waiting on vendor");
        assertThat(updated.get("summary_source").asText()).isEqualTo("cli");
        assertThat(updated.get("metadata").get("pr").asInt()).isEqualTo(12);

        JsonNode blocked = argus("task", "list", "--workstream", wsId, "--status", "blocked");
        assertThat(blocked.get("total").asInt()).isEqualTo(1);
        assertThat(blocked.get("items").get(0).get("id").asText()).isEqualTo(taskId);

        assertThat(argus("task", "update", taskId, "--hidden", "true", "--quiet")).isNotNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).as("--quiet prints nothing").isEmpty();
        assertThat(argus("task", "list", "--workstream", wsId).get("total").asInt()).isZero();
        assertThat(argus("task", "update", taskId, "--hidden", "false").has("hidden_at")).isFalse();

        JsonNode archived = argus("workstream", "update", wsId, "--name", "CLI done", "--status", "archived");
        assertThat(archived.get("status").asText()).isEqualTo("archived");
        assertThat(argus("workstream", "list").toString()).doesNotContain(wsId);
        assertThat(argus("workstream", "list", "--include-archived").toString()).contains(wsId);

        assertThat(argus("task", "update", "00000000-0000-4000-8000-000000000000", "--name", "x")).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("argus task update: Argus answered 404:");
        assertThat(argus("task", "create", "orphan", "--workstream", "00000000-0000-4000-8000-000000000000", "--quiet")).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
