package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.sourceforge.argparse4j.inf.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HooksCommandTest {
    private static final String ODD = "{\"model\":\"opus\",\t\"permissions\" : {\"allow\":[\"Bash(npm test:*)\"]},\n"
            + "  \"hooks\": {\"PreToolUse\": [ {\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\",\"command\":\"~/bin/guard.sh\"}]}],\n"
            + "\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"say done\"}]}], \"PermissionRequest\": []},\n"
            + "\"cleanupPeriodDays\": 30.10, \"big\": 123456789012345678901234567890, \"name\":\"Zoë ☃\"}";

    @TempDir
    Path home;
    @TempDir
    Path data;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String run(String... args) throws Exception {
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("mode", "http");
        attrs.put("print", false);
        for (int i = 0; i < args.length; i += 2) {
            attrs.put(args[i], args[i + 1].equals("true") ? Boolean.TRUE : args[i + 1]);
        }
        out.reset();
        HooksCommand.run(new Namespace(attrs), home, null, data,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path settings() {
        return home.resolve(".claude/settings.json");
    }

    private JsonNode tree() throws Exception {
        return new ObjectMapper().readTree(Files.readString(settings()));
    }

    private List<Path> backups() throws Exception {
        try (Stream<Path> s = Files.list(settings().getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("settings.json.bak.")).toList();
        }
    }

    private static List<JsonNode> argusHooks(JsonNode groups) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode g : groups) {
            for (JsonNode h : g.path("hooks")) {
                if (ClaudeHooksInstaller.isArgus(h)) {
                    found.add(h);
                }
            }
        }
        return found;
    }

    @Test
    void mergesIntoOddlyFormattedSettingsKeepingEverythingElse() throws Exception {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), ODD);
        run();
        JsonNode t = tree();
        List<String> keys = new ArrayList<>();
        t.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("model", "permissions", "hooks", "cleanupPeriodDays", "big", "name");
        String text = Files.readString(settings());
        assertThat(text).contains("\"cleanupPeriodDays\": 30.10", "123456789012345678901234567890", "Zoë ☃",
                "\"model\": \"opus\"").endsWith("}\n");
        assertThat(t.at("/permissions/allow/0").asText()).isEqualTo("Bash(npm test:*)");
        assertThat(t.at("/hooks/PreToolUse/0/matcher").asText()).isEqualTo("Bash");
        assertThat(t.at("/hooks/PreToolUse/0/hooks/0/command").asText()).isEqualTo("~/bin/guard.sh");
        assertThat(t.at("/hooks/Stop/0/hooks/0/command").asText()).isEqualTo("say done");
        assertThat(t.at("/hooks/PermissionRequest")).isEmpty();
        for (String event : ClaudeHooksInstaller.EVENTS) {
            List<JsonNode> ours = argusHooks(t.path("hooks").path(event));
            assertThat(ours).as(event).hasSize(1);
            assertThat(ours.get(0).path("type").asText()).isEqualTo("http");
            assertThat(ours.get(0).path("url").asText()).isEqualTo("http://127.0.0.1:8765/hooks/claude");
            assertThat(ours.get(0).at("/headers/X-API-Key").asText()).isEqualTo("$ARGUS_API_KEY");
            assertThat(ours.get(0).at("/allowedEnvVars/0").asText()).isEqualTo("ARGUS_API_KEY");
        }
        assertThat(backups()).hasSize(1);
        assertThat(Files.readString(backups().get(0))).isEqualTo(ODD);
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), ODD);
        run();
        byte[] first = Files.readAllBytes(settings());
        long modified = Files.getLastModifiedTime(settings()).toMillis();
        assertThat(run()).contains("already installed");
        assertThat(Files.readAllBytes(settings())).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(settings()).toMillis()).isEqualTo(modified);
        assertThat(backups()).hasSize(1);
    }

    @Test
    void aParseErrorLeavesTheFileAloneAndSaysWhere() throws Exception {
        Files.createDirectories(settings().getParent());
        String broken = "{\"model\": \"opus\",\n  \"hooks\": {,}\n}";
        Files.writeString(settings(), broken);
        assertThatThrownBy(this::run).isInstanceOf(CommandFailure.class)
                .hasMessageContaining(settings().toString()).hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 2").hasMessageContaining("nothing was changed");
        assertThat(Files.readString(settings())).isEqualTo(broken);
        assertThat(backups()).isEmpty();
        Files.writeString(settings(), "{\"a\":1,\"a\":2}");
        assertThatThrownBy(this::run).isInstanceOf(CommandFailure.class);
        Files.writeString(settings(), "[1]");
        assertThatThrownBy(this::run).isInstanceOf(CommandFailure.class).hasMessageContaining("JSON object");
        Files.writeString(settings(), "{\"hooks\":[]}");
        assertThatThrownBy(this::run).isInstanceOf(CommandFailure.class).hasMessageContaining("\"hooks\"");
        assertThat(backups()).isEmpty();
    }

    @Test
    void printOnlyPrints() throws Exception {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), ODD);
        String printed = run("print", "true");
        assertThat(new ObjectMapper().readTree(printed).at("/hooks/SessionEnd/0/hooks/0/type").asText()).isEqualTo("http");
        assertThat(Files.readString(settings())).isEqualTo(ODD);
        assertThat(backups()).isEmpty();
        assertThat(Files.exists(data.resolve("bin/argus-hook"))).isFalse();
    }

    @Test
    void createsAMissingFileInTheProjectFolder() throws Exception {
        Path project = home.resolve("work/shop");
        run("project", project.toString(), "source", "my claude", "task", "t-1");
        JsonNode t = new ObjectMapper().readTree(Files.readString(project.resolve(".claude/settings.json")));
        assertThat(t.at("/hooks/PreToolUse/0/hooks/0/url").asText())
                .isEqualTo("http://127.0.0.1:8765/hooks/claude?source=my%20claude&task_id=t-1");
        assertThat(Files.exists(settings())).isFalse();
    }

    @Test
    void switchingModesReplacesTheArgusHookInPlace() throws Exception {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), ODD);
        run();
        run("mode", "command", "url", "http://127.0.0.1:9999/");
        JsonNode t = tree();
        Path script = data.resolve("bin/argus-hook");
        for (String event : ClaudeHooksInstaller.EVENTS) {
            List<JsonNode> ours = argusHooks(t.path("hooks").path(event));
            assertThat(ours).as(event).hasSize(1);
            assertThat(ours.get(0).path("command").asText())
                    .isEqualTo("ARGUS_URL=http://127.0.0.1:9999 " + script + " claude");
        }
        assertThat(t.at("/hooks/PreToolUse/0/hooks/0/command").asText()).isEqualTo("~/bin/guard.sh");
        assertThat(t.at("/hooks/PreToolUse/1/hooks/0/type").asText()).isEqualTo("command");
        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(Files.readString(script)).startsWith("#!/bin/sh");
        assertThat(backups()).hasSizeGreaterThanOrEqualTo(1);
    }

    @Test
    void theKeyIsNeverWritten() throws Exception {
        run();
        assertThat(Files.readString(settings())).doesNotContain(String.valueOf(System.getenv("ARGUS_API_KEY")))
                .contains("\"$ARGUS_API_KEY\"");
    }

    @Test
    void quotesOddCharactersForTheShell() {
        assertThat(HooksCommand.shellQuote("/home/a b/it's")).isEqualTo("'/home/a b/it'\\''s'");
        assertThat(HooksCommand.shellQuote("/home/ab/argus-hook")).isEqualTo("/home/ab/argus-hook");
    }
}
