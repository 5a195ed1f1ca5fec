package dev.argus.agent;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** jvm.start and jvm.stop against a recording HTTP server on a free loopback port. */
class LifecycleTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AgentRuntime.Lifecycle lifecycle() {
        AgentSettings settings = AgentSettings.resolve(
                "url=http://127.0.0.1:" + server.getAddress().getPort() + ",key=k,source=lifecycle-test",
                new Properties(), Map.of());
        AgentDiagnostics diagnostics = new AgentDiagnostics(false);
        return new AgentRuntime.Lifecycle(settings, "premain", "lifecycle-test", List.of("Main"), System.nanoTime(),
                Instant.now(), new ClientSink(10_000), new Events(settings.session), diagnostics);
    }

    @Test
    void aProgramThatEndsBeforeTheStarterSendsStartAndStopInOneRequestInThatOrder() throws Exception {
        AgentRuntime.Lifecycle lifecycle = lifecycle();
        Thread exit = new Thread(lifecycle::stop);
        exit.start();  // the shutdown hook runs first and waits for the client
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (exit.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        lifecycle.startClient();  // the starter creates the client, finds jvm.start taken
        exit.join(30_000);

        assertThat(requests).hasSize(1);
        String request = requests.get(0);
        assertThat(request).startsWith("POST /events/batch [");
        assertThat(request.indexOf("\"jvm.start\"")).isPositive().isLessThan(request.indexOf("\"jvm.stop\""));
    }

    @Test
    void whenTheStarterSentStartFirstTheExitSendsOnlyStop() throws Exception {
        AgentRuntime.Lifecycle lifecycle = lifecycle();
        lifecycle.startClient();
        lifecycle.stop();

        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).startsWith("POST /events {").contains("\"jvm.start\"").doesNotContain("jvm.stop");
        assertThat(requests.get(1)).startsWith("POST /events {").contains("\"jvm.stop\"").doesNotContain("jvm.start");
    }
}
