package dev.argus.agent;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** jvm.start and jvm.stop against a recording HTTP server on a free loopback port. */
class LifecycleTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Answers to give, in order; 201 once they are used up. */
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private ClientSink sink;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
            int status = statuses.isEmpty() ? 201 : statuses.remove(0);
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
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

    private AgentRuntime.Lifecycle lifecycle(long startDelayMillis) {
        return lifecycle("http://127.0.0.1:" + server.getAddress().getPort(), "", startDelayMillis);
    }

    private AgentRuntime.Lifecycle lifecycle(String url, String extra, long startDelayMillis) {
        AgentSettings settings = AgentSettings.resolve("url=" + url + ",key=k,source=lifecycle-test" + extra,
                new Properties(), Map.of());
        AgentDiagnostics diagnostics = new AgentDiagnostics(false);
        sink = new ClientSink(10_000);
        return new AgentRuntime.Lifecycle(settings, "premain", "lifecycle-test", List.of("Main"), System.nanoTime(),
                Instant.now(), sink, new Events(settings.session), diagnostics, startDelayMillis);
    }

    private static void assertStartThenStopInOneBatch(String request) {
        assertThat(request).startsWith("POST /events/batch [");
        assertThat(request.indexOf("\"jvm.start\"")).isPositive().isLessThan(request.indexOf("\"jvm.stop\""));
    }

    @Test
    void aProgramThatEndsWithinTheStartDelayStoresStartAndStopInOnePlainRequestWithoutAClient() throws Exception {
        AgentRuntime.Lifecycle lifecycle = lifecycle(3_000);
        Thread starter = new Thread(lifecycle::startClient);
        starter.setDaemon(true);
        starter.start();  // waits for something that needs the client
        lifecycle.stop();  // the program ends first

        assertThat(requests).hasSize(1);
        assertStartThenStopInOneBatch(requests.get(0));
        assertThat(sink.clientNow()).as("no client was built").isNull();
        starter.join(30_000);  // the delay is over after the exit began: it leaves everything to the hook
        assertThat(starter.isAlive()).isFalse();
        assertThat(sink.clientNow()).isNull();
        assertThat(requests).hasSize(1);
    }

    @Test
    void whenTheStarterSentStartFirstTheExitSendsOnlyStop() throws Exception {
        AgentRuntime.Lifecycle lifecycle = lifecycle(0);
        lifecycle.startClient();
        lifecycle.stop();

        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).startsWith("POST /events {").contains("\"jvm.start\"").doesNotContain("jvm.stop");
        assertThat(requests.get(1)).startsWith("POST /events {").contains("\"jvm.stop\"").doesNotContain("jvm.start");
    }

    @Test
    void aStarterWokenByAnEventSendsStartBeforeTheDelayIsOver() throws Exception {
        AgentRuntime.Lifecycle lifecycle = lifecycle(600_000);
        Thread starter = new Thread(lifecycle::startClient);
        starter.setDaemon(true);
        starter.start();
        assertThat(sink.send(new Events("s").stop(1, 0))).isTrue();  // an error would do the same
        starter.join(30_000);

        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).startsWith("POST /events {").contains("\"jvm.start\"");
        assertThat(requests.get(1)).startsWith("POST /events {").contains("\"jvm.stop\"");
    }

    @Test
    void aStarterWithoutDemandSendsStartWhenTheDelayIsOver() throws Exception {
        AgentRuntime.Lifecycle lifecycle = lifecycle(50);
        Thread starter = new Thread(lifecycle::startClient);
        starter.start();
        starter.join(30_000);

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).startsWith("POST /events {").contains("\"jvm.start\"");
    }

    @Test
    void aPlainRequestTheServerRefusesIsSentAgainThroughTheClientWithTheSameEvents() throws Exception {
        statuses.add(503);
        AgentRuntime.Lifecycle lifecycle = lifecycle(60_000);
        lifecycle.stop();

        assertThat(requests).hasSize(2);
        assertStartThenStopInOneBatch(requests.get(0));
        assertThat(requests.get(1)).isEqualTo(requests.get(0));  // same uuids: stored once
        assertThat(sink.clientNow()).isNotNull();
    }

    /** Accepts connections and hangs up at once: a plain request fails as on a broken connection. */
    private static ServerSocket hangingUp(AtomicInteger accepted) throws IOException {
        ServerSocket hangUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!hangUp.isClosed()) {
                try (Socket s = hangUp.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return hangUp;
    }

    @Test
    void afterAFailedPlainRequestTheClientDoesNotTryTheServerASecondTime() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket hangUp = hangingUp(accepted)) {
            AgentRuntime.Lifecycle lifecycle = lifecycle("http://127.0.0.1:" + hangUp.getLocalPort(), "", 60_000);
            lifecycle.stop();
            // one attempt: a server that does not answer would cost a second time-out otherwise
            assertThat(accepted.get()).isEqualTo(1);
            assertThat(sink.clientNow().isBreakerOpen()).isTrue();
            assertThat(sink.clientNow().droppedCount()).isEqualTo(2);  // no spool: counted, as before
        }
    }

    @Test
    void withTheServerUnreachableBothEventsGoToTheSpoolInOrder() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket hangUp = hangingUp(accepted)) {
            Path spool = tmp.resolve("spool");
            AgentRuntime.Lifecycle lifecycle = lifecycle("http://127.0.0.1:" + hangUp.getLocalPort(),
                    ",spoolDir=" + spool, 60_000);
            lifecycle.stop();

            String spooled;
            try (Stream<Path> files = Files.list(spool)) {
                spooled = files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted()
                        .map(p -> {
                            try {
                                return Files.readString(p);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }).collect(Collectors.joining());
            }
            assertThat(spooled.lines().count()).isEqualTo(2);
            assertThat(spooled.indexOf("\"jvm.start\"")).isNotNegative().isLessThan(spooled.indexOf("\"jvm.stop\""));
        }
    }

    @Test
    void httpsNeverTakesThePlainPath() {
        AgentRuntime.Lifecycle lifecycle = lifecycle("https://127.0.0.1:" + server.getAddress().getPort(),
                ",timeoutMs=500", 60_000);
        lifecycle.stop();
        assertThat(requests).isEmpty();  // plain HTTP to an https port would be a request to it
        assertThat(sink.clientNow()).as("the client handled it").isNotNull();
    }
}
