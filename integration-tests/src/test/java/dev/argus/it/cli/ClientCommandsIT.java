package dev.argus.it.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** send, query and status as child processes against a real server (and a stopped one). */
class ClientCommandsIT {
    @TempDir
    static Path dir;
    static ArgusServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ArgusServer.start(Files.createDirectories(dir.resolve("server")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Cli cli() {
        return new Cli(dir.resolve("home-empty"), Map.of());
    }

    private String[] args(String... rest) {
        String[] all = new String[rest.length + 4];
        System.arraycopy(rest, 0, all, 0, rest.length);
        all[rest.length] = "--url";
        all[rest.length + 1] = server.url();
        all[rest.length + 2] = "--key";
        all[rest.length + 3] = server.apiKey();
        return all;
    }

    @Test
    void sendStoresTheEventAndPrintsItsId() {
        Cli.Result r = cli().run(args("send", "--source", "hook", "--type", "build", "--message", "ünïcode ok",
                "--level", "WARNING", "--data", "{\"n\":12345678901234567890,\"d\":1.50}", "--tag", "ci", "--tag", "main",
                "--session", "s-1"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).matches("captured event \\d+\\n");
        long id = Long.parseLong(r.out().replaceAll("\\D", ""));
        JsonNode e = server.getJson("/events/" + id);
        assertThat(e.get("source").asText()).isEqualTo("hook");
        assertThat(e.get("event_type").asText()).isEqualTo("build");
        assertThat(e.get("message").asText()).isEqualTo("ünïcode ok");
        assertThat(e.get("level").asText()).isEqualTo("warn");
        assertThat(server.get("/events/" + id).body()).contains("\"data\":{\"n\":12345678901234567890,\"d\":1.50}");
        assertThat(e.get("tags").toString()).isEqualTo("[\"ci\",\"main\"]");
        assertThat(e.get("session_id").asText()).isEqualTo("s-1");
    }

    @Test
    void sendQuietPrintsNothingAndKeepsTheExitStatus() {
        Cli.Result ok = cli().run(args("send", "--source", "hook", "--type", "quiet", "--quiet"));
        assertThat(ok.exit()).isZero();
        assertThat(ok.out() + ok.err()).isEmpty();
        assertThat(server.allEvents("event_type=quiet")).hasSize(1);

        Cli.Result bad = cli().run(args("send", "--source", "hook", "--type", "quiet", "--level", "loud", "--quiet"));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out() + bad.err()).isEmpty();

        Cli.Result loud = cli().run(args("send", "--source", "hook", "--type", "quiet", "--level", "loud"));
        assertThat(loud.exit()).isEqualTo(1);
        assertThat(loud.err()).startsWith("argus send: Argus answered 422: ");
        assertThat(loud.err().strip().lines()).hasSize(1);

        Cli.Result notObject = cli().run(args("send", "--source", "hook", "--type", "quiet", "--data", "[1]"));
        assertThat(notObject.exit()).isEqualTo(1);
        assertThat(notObject.err().strip()).isEqualTo("argus send: --data must be a JSON object, e.g. '{\"exit\":0}'");
        assertThat(server.allEvents("event_type=quiet")).hasSize(1);
    }

    @Test
    void queryPrintsAnAlignedTableThatCopesWithNullsAndRawJson() {
        server.postEvent("{\"source\":\"q-tool\",\"event_type\":\"step\",\"level\":\"info\",\"message\":\"first step\"}");
        server.postEvent("{\"source\":\"q-tool\",\"event_type\":\"step-with-a-long-name\"}");
        server.postEvent("{\"source\":\"other\",\"event_type\":\"step\",\"message\":\"not me\"}");

        Cli.Result r = cli().run(args("query", "--source", "q-tool", "--order", "asc"));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ID").contains("TIMESTAMP", "LEVEL", "SOURCE", "EVENT_TYPE", "MESSAGE");
        int col = lines.get(0).indexOf("MESSAGE");
        assertThat(lines.get(1)).contains("INFO", "q-tool", "step").endsWith("first step");
        assertThat(lines.get(1).indexOf("first step")).isEqualTo(col);
        assertThat(lines.get(2)).contains("step-with-a-long-name").endsWith("-");
        assertThat(lines.get(2).length()).isEqualTo(col + 1);
        for (String column : new String[] {"LEVEL", "SOURCE", "EVENT_TYPE"}) {
            int at = lines.get(0).indexOf(column);
            assertThat(lines.get(1).charAt(at - 1)).isEqualTo(' ');
            assertThat(lines.get(1).charAt(at)).isNotEqualTo(' ');
        }

        Cli.Result json = cli().run(args("query", "--source", "q-tool", "--json", "--limit", "1"));
        assertThat(json.exit()).isZero();
        assertThat(json.lines()).hasSize(1);
        JsonNode newest = ArgusServer.readJson(json.lines().get(0));
        assertThat(newest.get("event_type").asText()).isEqualTo("step-with-a-long-name");
        assertThat(newest.get("message").isNull()).isTrue();

        Cli.Result none = cli().run(args("query", "--source", "nobody"));
        assertThat(none.exit()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err().strip()).isEqualTo("no events match");

        Cli.Result badSince = cli().run(args("query", "--since", "yesterday"));
        assertThat(badSince.exit()).isEqualTo(1);
        assertThat(badSince.err()).startsWith("argus query: Argus answered 400: ");
    }

    @Test
    void statusIsZeroWhenUpAndOneWithADistinctMessageForAWrongKey() {
        Cli.Result up = cli().run(args("status"));
        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(up.out()).startsWith("Argus is running at " + server.url());

        Cli.Result wrongKey = cli().run("status", "--url", server.url(), "--key", "not-the-key");
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.out()).isEmpty();
        assertThat(wrongKey.err().strip())
                .isEqualTo("argus status: Argus at " + server.url() + " rejected the API key (401): check --key / ARGUS_API_KEY");
    }

    @Test
    void clientCommandsReadTheEnvironmentThenTheLocalConfigThenTheKeyFile() throws Exception {
        Cli fromEnv = new Cli(dir.resolve("home-empty"), Map.of("ARGUS_URL", server.url(), "ARGUS_API_KEY", server.apiKey()));
        assertThat(fromEnv.run("status").exit()).isZero();

        Path home = dir.resolve("home-config");
        Path config = home.resolve(".config/argus/config.yml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "apiKeys:\n  - key: ${IT_KEY:-wrong}\nserver:\n  applicationConnectors:\n"
                + "    - type: http\n      bindHost: 127.0.0.1\n      port: " + server.port() + "\n");
        Cli fromConfig = new Cli(home, Map.of("IT_KEY", server.apiKey()));
        Cli.Result r = fromConfig.run("status");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Argus is running at " + server.url());

        Path keyHome = dir.resolve("home-keyfile");
        Files.createDirectories(keyHome.resolve(".config/argus"));
        Files.writeString(keyHome.resolve(".config/argus/api-key"), server.apiKey() + "\n");
        Cli.Result keyFile = new Cli(keyHome, Map.of("ARGUS_URL", server.url())).run("status");
        assertThat(keyFile.exit()).as(keyFile.err()).isZero();

        Cli.Result noKey = new Cli(dir.resolve("home-empty"), Map.of("ARGUS_URL", server.url())).run("status");
        assertThat(noKey.exit()).isEqualTo(1);
        assertThat(noKey.err()).contains("needs an API key");
    }

    @Test
    void theLauncherScriptRunsTheSameCommands() {
        Path launcher = Paths.get(System.getProperty("argus.repo.dir", ".."), "bin", "argus").toAbsolutePath().normalize();
        Cli.Result r = Cli.run(cli().environment(new ProcessBuilder("bash", launcher.toString(), "status", "--url",
                server.url(), "--key", server.apiKey())));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Argus is running at ");
    }

    @Test
    void anUnreachableServerIsOneLineOnStderrAndExitOne() {
        String url = "http://127.0.0.1:1";
        Cli.Result status = cli().run("status", "--url", url, "--key", "k");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).isEmpty();
        assertThat(status.err().strip()).isEqualTo("argus status: Argus is not running at " + url + " (connection refused)");

        for (String[] cmd : new String[][] {{"query"}, {"send", "--source", "s", "--type", "t"}, {"tail"}}) {
            String[] full = new String[cmd.length + 4];
            System.arraycopy(cmd, 0, full, 0, cmd.length);
            System.arraycopy(new String[] {"--url", url, "--key", "k"}, 0, full, cmd.length, 4);
            Cli.Result r = cli().run(full);
            assertThat(r.exit()).as(String.join(" ", cmd)).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).isEqualTo("argus " + cmd[0] + ": cannot reach Argus at " + url + " (connection refused)");
        }
    }
}
