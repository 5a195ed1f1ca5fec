package dev.argus.it.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/argus-hook} (command mode, SPEC §12.4) against the real server jar: payloads stored
 * as events with their session derived; with the server down the call still exits 0 silently and
 * spools, and the next call with the server back sends the spool first, each payload stored once.
 */
class HookScriptServerIT {
    private static final Path REPO = Paths.get(System.getProperty("argus.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPT = REPO.resolve("bin/argus-hook");
    private static final Path FIXTURES = REPO.resolve("argus-service/src/test/resources/claude-hooks");

    @TempDir
    Path dir;
    @TempDir
    Path home;

    private record Run(int exit, String out) {
    }

    private Run hook(ArgusServer server, String fixture, String session, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", SCRIPT.toString(), "claude"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("ARGUS_HOOK_DEBUG");
        env.put("HOME", home.toString());
        env.put("ARGUS_HOME", home.resolve("argus-data").toString());
        env.put("ARGUS_URL", server.url());
        env.put("ARGUS_API_KEY", server.apiKey());
        env.put("ARGUS_HOOK_TIMEOUT", "5");
        Process p = pb.start();
        String payload = Files.readString(FIXTURES.resolve(fixture + ".json"))
                .replace("8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43", session);
        try (OutputStream in = p.getOutputStream()) {
            in.write(payload.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void scriptFeedsTheServerAndSpoolsWhileItIsDown() throws Exception {
        try (ArgusServer server = ArgusServer.start(dir)) {
            Run r = hook(server, "SessionStart", "cmd-1", "--source", "cc-cmd");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(hook(server, "PreToolUse", "cmd-1", "--source", "cc-cmd").exit()).isZero();
            JsonNode s = server.getJson("/sessions/cmd-1");
            assertThat(s.get("source").asText()).isEqualTo("cc-cmd");
            assertThat(s.get("event_count").asLong()).isEqualTo(2);
            assertThat(s.get("tool_count").asLong()).isEqualTo(1);

            server.stop();
            r = hook(server, "PostToolUseFailure", "cmd-1", "--source", "cc-cmd");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEmpty();

            server.restart();
            assertThat(hook(server, "SessionEnd", "cmd-1", "--source", "cc-cmd").exit()).isZero();
            List<JsonNode> events = server.allEvents("session_id=cmd-1");
            assertThat(events).extracting(e -> e.get("hook").asText())
                    .containsExactly("SessionStart", "PreToolUse", "PostToolUseFailure", "SessionEnd");
            s = server.getJson("/sessions/cmd-1");
            assertThat(s.get("event_count").asLong()).isEqualTo(4);
            assertThat(s.get("error_count").asLong()).isEqualTo(1);
            assertThat(s.get("status").asText()).isEqualTo("ended");
            // a further call sends nothing twice
            assertThat(hook(server, "Stop", "cmd-1", "--source", "cc-cmd").exit()).isZero();
            assertThat(server.allEvents("session_id=cmd-1")).hasSize(5);
        }
    }
}
