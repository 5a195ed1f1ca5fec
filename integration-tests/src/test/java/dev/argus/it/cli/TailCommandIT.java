package dev.argus.it.cli;

import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** tail against a real server that is killed and restarted in the middle: no gap, no duplicate. */
class TailCommandIT {
    @TempDir
    Path dir;

    @Test
    void followsLiveEventsAndResumesAfterAServerRestartWithoutGaps() throws Exception {
        try (ArgusServer server = ArgusServer.start(java.nio.file.Files.createDirectories(dir.resolve("server")))) {
            Cli cli = new Cli(dir.resolve("home"), Map.of());
            long before = server.postEvent("{\"source\":\"t\",\"event_type\":\"before\"}");
            List<Long> sent = new ArrayList<>();
            try (Cli.Running tail = new Cli.Running(cli.builder("tail", "--url", server.url(), "--key", server.apiKey(),
                    "--source", "t", "--json", "--after-id", Long.toString(before), "--max-events", "6"))) {
                for (int i = 1; i <= 3; i++) {
                    server.postEvent("{\"source\":\"other\",\"event_type\":\"noise\"}");
                    sent.add(server.postEvent("{\"source\":\"t\",\"event_type\":\"e" + i + "\",\"message\":\"m" + i + "\"}"));
                }
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    seen.add(ArgusServer.readJson(tail.next(60)).get("id").asLong());
                }
                assertThat(seen).containsExactlyElementsOf(sent);

                server.kill9();
                Cli.Result down = cli.run("status", "--url", server.url(), "--key", server.apiKey());
                assertThat(down.exit()).isEqualTo(1);
                assertThat(down.err()).contains("Argus is not running at " + server.url());

                server.restart();
                // Posted while tail is still reconnecting: they must come from the Last-Event-ID replay.
                for (int i = 4; i <= 6; i++) {
                    sent.add(server.postEvent("{\"source\":\"t\",\"event_type\":\"e" + i + "\"}"));
                }
                for (int i = 0; i < 3; i++) {
                    seen.add(ArgusServer.readJson(tail.next(90)).get("id").asLong());
                }
                assertThat(seen).containsExactlyElementsOf(sent);
                assertThat(tail.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(tail.process.exitValue()).isZero();
                assertThat(tail.lines).isEmpty();
                assertThat(tail.stderr()).contains("reconnecting", "reconnected, resuming after event " + sent.get(2));
            }

            Cli.Result up = cli.run("status", "--url", server.url(), "--key", server.apiKey());
            assertThat(up.exit()).isZero();

            // The human format: one line per event.
            Cli.Result last = cli.run("tail", "--url", server.url(), "--key", server.apiKey(), "--source", "t",
                    "-n", "1", "--max-events", "1");
            assertThat(last.exit()).as(last.err()).isZero();
            assertThat(last.out()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z -     t/e6\\n");
        }
    }
}
