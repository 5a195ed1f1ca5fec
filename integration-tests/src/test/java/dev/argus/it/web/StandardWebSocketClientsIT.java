package dev.argus.it.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients people actually use — Node's built-in {@code WebSocket} and a real headless Chromium,
 * both of which offer {@code permessage-deflate} — receive every refusal the server starts
 * (SPEC §4): the {@code auth_result} error, then a clean close 1008, for a wrong key, an auth
 * message without a key, and the auth time-out (2 s here). Against a server that declines the
 * extension (the default) and one that accepts it ({@code streams.permessageDeflate: true}); with
 * the extension, Node used to see close 1006 and no answer.
 */
class StandardWebSocketClientsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFUSED = "{\"type\":\"auth_result\",\"status\":\"error\",\"message\":\"Invalid API key\"}";

    @TempDir
    static Path tmp;
    static ArgusServer plain;
    static ArgusServer deflate;

    @BeforeAll
    static void start() throws IOException {
        plain = ArgusServer.builder(Files.createDirectories(tmp.resolve("plain")))
                .yaml("streams:\n  authTimeoutSeconds: 2\n").start();
        deflate = ArgusServer.builder(Files.createDirectories(tmp.resolve("deflate")))
                .yaml("streams:\n  authTimeoutSeconds: 2\n  permessageDeflate: true\n").start();
    }

    @AfterAll
    static void stop() {
        for (ArgusServer s : new ArgusServer[] {plain, deflate}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // ------------------------------------------------------------------ Node's built-in WebSocket

    @Test
    void nodeReceivesTheRefusalOfAWrongKeyThenClose1008() throws Exception {
        for (ArgusServer server : new ArgusServer[] {plain, deflate}) {
            assertRefused(server, node(server, "{\"type\":\"auth\",\"api_key\":\"wrong\"}"), REFUSED);
        }
    }

    @Test
    void nodeReceivesTheRefusalOfAnAuthMessageWithoutKeyThenClose1008() throws Exception {
        for (ArgusServer server : new ArgusServer[] {plain, deflate}) {
            assertRefused(server, node(server, "{\"type\":\"auth\"}"), REFUSED);
        }
    }

    @Test
    void nodeReceivesTheAuthTimeOutThenClose1008() throws Exception {
        for (ArgusServer server : new ArgusServer[] {plain, deflate}) {
            assertRefused(server, node(server, null), null);
        }
    }

    // ------------------------------------------------------------------ headless Chromium

    @Test
    void chromiumReceivesEveryRefusalThenClose1008() throws Exception {
        try (Browser browser = new Browser(Files.createDirectories(tmp.resolve("browser")))) {
            browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            for (ArgusServer server : new ArgusServer[] {plain, deflate}) {
                // Any page of the server's origin will do: the dashboard asks for a key and opens nothing.
                browser.driver.get(server.url() + "/");
                assertRefused(server, chromium(browser, server, "{\"type\":\"auth\",\"api_key\":\"wrong\"}"), REFUSED);
                assertRefused(server, chromium(browser, server, "{\"type\":\"auth\"}"), REFUSED);
                assertRefused(server, chromium(browser, server, null), null);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** What one client saw: the negotiated extensions, the messages, the close. */
    private record Seen(String extensions, List<String> messages, int closeCode, boolean wasClean) {
    }

    /** {@code expected} null: the auth time-out's answer (an {@code auth_result} error naming the time-out). */
    private static void assertRefused(ArgusServer server, Seen seen, String expected) throws IOException {
        if (server == deflate) {
            assertThat(seen.extensions()).as("the client negotiated deflate").contains("permessage-deflate");
        } else {
            assertThat(seen.extensions()).as("the server declined deflate").isEmpty();
        }
        assertThat(seen.messages()).as("messages before the close").hasSize(1);
        if (expected != null) {
            assertThat(seen.messages().get(0)).isEqualTo(expected);
        } else {
            JsonNode answer = JSON.readTree(seen.messages().get(0));
            assertThat(answer.get("type").asText()).isEqualTo("auth_result");
            assertThat(answer.get("status").asText()).isEqualTo("error");
            assertThat(answer.get("message").asText()).contains("timeout");
        }
        assertThat(seen.closeCode()).as("close code").isEqualTo(1008);
    }

    private static Seen node(ArgusServer server, String firstMessage) throws Exception {
        List<String> cmd = nodeCommand();
        Path script = tmp.resolve("refusal-client.mjs");
        if (!Files.exists(script)) {
            try (InputStream in = StandardWebSocketClientsIT.class.getResourceAsStream("/ws/refusal-client.mjs")) {
                Files.copy(in, script);
            }
        }
        cmd.add(script.toString());
        cmd.add(server.wsUrl());
        if (firstMessage != null) {
            cmd.add(firstMessage);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String extensions = null;
        List<String> messages = new ArrayList<>();
        Integer close = null;
        boolean clean = false;
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode j;
            try {
                j = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("node printed: " + out, e);
            }
            if (j.has("open")) {
                extensions = j.get("open").asText();
            } else if (j.has("message")) {
                messages.add(j.get("message").asText());
            } else if (j.has("close")) {
                close = j.get("close").asInt();
                clean = j.get("wasClean").asBoolean();
            }
        }
        assertThat(close).as("node's output: %s", out).isNotNull();
        return new Seen(extensions, messages, close, clean);
    }

    /** {@code node}, with the flag Node 20 needs for its built-in WebSocket; skips (logged) when node is absent. */
    private static List<String> nodeCommand() throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node"));
        try {
            Process probe = new ProcessBuilder("node", "-e", "process.exit(typeof WebSocket === 'function' ? 0 : 3)")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor(30, TimeUnit.SECONDS);
            if (probe.exitValue() == 3) {
                cmd.add("--experimental-websocket");
            }
        } catch (IOException e) {
            System.err.println("StandardWebSocketClientsIT: skipping the Node client test: node is not installed (" + e + ")");
            Assumptions.abort("node is not installed");
        }
        return cmd;
    }

    private static Seen chromium(Browser browser, ArgusServer server, String firstMessage) {
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) ((JavascriptExecutor) browser.driver).executeAsyncScript("""
                const [url, first, done] = arguments;
                const seen = {extensions: null, messages: [], code: null, wasClean: false};
                const ws = new WebSocket(url);
                ws.onopen = () => { seen.extensions = ws.extensions; if (first) ws.send(first); };
                ws.onmessage = (m) => seen.messages.push(String(m.data));
                ws.onclose = (e) => done([seen.extensions, seen.messages, e.code, e.wasClean]);
                """, server.wsUrl(), firstMessage);
        @SuppressWarnings("unchecked")
        List<String> messages = (List<String>) seen.get(1);
        return new Seen((String) seen.get(0), messages, ((Number) seen.get(2)).intValue(), (Boolean) seen.get(3));
    }
}
