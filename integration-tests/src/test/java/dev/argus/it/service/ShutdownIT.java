package dev.argus.it.service;

import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM with live clients, some of which stopped reading long ago (their TCP windows are full):
 * the server still exits within {@code server.shutdownGracePeriod} (2 s here) plus 5 s, a reading
 * WebSocket client gets close 1001 and a reading SSE client sees its stream end (SPEC §3).
 */
class ShutdownIT {
    private static final String SOURCE = "shutdown";
    private static final Duration GRACE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void sigtermWithStalledStreamClientsExitsInTimeAndClosesReadingClientsCleanly() throws Exception {
        ArgusServer server = ArgusServer.builder(dir)
                .jvmArg("-Ddw.server.shutdownGracePeriod=" + GRACE.toSeconds() + "s").start();
        List<Socket> stalled = new ArrayList<>();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // A reading WebSocket client and a reading SSE client.
            CompletableFuture<Integer> wsClose = new CompletableFuture<>();
            AtomicInteger wsEvents = new AtomicInteger();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(server.wsUrl()),
                    new Recorder(wsClose, wsEvents)).get(30, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"auth\",\"api_key\":\"" + server.apiKey() + "\"}", true).join();
            ws.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"" + SOURCE + "\"}}", true).join();
            HttpResponse<Stream<String>> sse = http.send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/events/stream?source=" + SOURCE))
                    .header("X-API-Key", server.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(sse.statusCode()).isEqualTo(200);
            CompletableFuture<String> sseEnd = new CompletableFuture<>();
            AtomicInteger sseEvents = new AtomicInteger();
            Thread sseReader = new Thread(() -> readSse(sse.body(), sseEvents, sseEnd), "sse-reader");
            sseReader.setDaemon(true);
            sseReader.start();

            // Clients that stop reading: three WebSocket, three SSE, on sockets with tiny buffers.
            for (int i = 0; i < 3; i++) {
                stalled.add(stalledWebSocket(server));
                stalled.add(stalledSse(server));
            }
            awaitClients(server, http, 2 + 6);

            // Thousands of events: far more than the stalled clients' windows hold.
            int posted = 0;
            String padding = randomText(2_000);
            while (posted < 4_000) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 200; i++) {
                    batch.append(i == 0 ? "" : ",").append("{\"source\":\"" + SOURCE + "\",\"event_type\":\"t\",\"message\":\"")
                            .append(padding).append("\"}");
                }
                HttpResponse<String> r = server.post("/events/batch", batch.append(']').toString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                posted += 200;
            }
            int total = posted;
            awaitTrue("the reading clients received every event", Duration.ofSeconds(120),
                    () -> wsEvents.get() >= total && sseEvents.get() >= total);

            long start = System.nanoTime();
            server.stop(); // SIGTERM, then waits for the exit
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(server.isAlive()).isFalse();
            assertThat(took).as("time from SIGTERM to exit").isLessThan(GRACE.plusSeconds(5));
            assertThat(wsClose.get(10, TimeUnit.SECONDS)).as("the reading WebSocket client's close code").isEqualTo(1001);
            assertThat(sseEnd.get(10, TimeUnit.SECONDS)).as("the reading SSE client's stream").isEqualTo("end of stream");
            assertThat(server.logText()).contains("live stream client(s) for shutdown").doesNotContain("TimeoutException");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
            server.close();
        }
    }

    /** Counts the live events; completes {@code end} with "end of stream" on a clean end, else the error. */
    private static void readSse(Stream<String> body, AtomicInteger events, CompletableFuture<String> end) {
        try (body) {
            Iterator<String> it = body.iterator();
            while (it.hasNext()) {
                if (it.next().equals("event: event")) {
                    events.incrementAndGet();
                }
            }
            end.complete("end of stream");
        } catch (RuntimeException e) {
            end.complete("broken: " + e);
        }
    }

    private static final class Recorder implements WebSocket.Listener {
        private final CompletableFuture<Integer> closed;
        private final AtomicInteger events;
        private final StringBuilder partial = new StringBuilder();

        Recorder(CompletableFuture<Integer> closed, AtomicInteger events) {
            this.closed = closed;
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (partial.indexOf("\"type\":\"event\"") >= 0) {
                    events.incrementAndGet();
                }
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }
    }

    private static Socket tinySocket(ArgusServer server) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        return s;
    }

    /** Upgrades, authenticates and subscribes, then never reads again (beyond the handshake answer). */
    private static Socket stalledWebSocket(ArgusServer server) throws IOException {
        Socket s = tinySocket(server);
        OutputStream out = s.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        sendMaskedText(out, "{\"type\":\"auth\",\"api_key\":\"" + server.apiKey() + "\"}");
        sendMaskedText(out, "{\"type\":\"subscribe\",\"filters\":{\"source\":\"" + SOURCE + "\"}}");
        return s;
    }

    private static void sendMaskedText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(0x81);
        out.write(0x80 | payload.length); // < 126 bytes here
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        out.flush();
    }

    private static Socket stalledSse(ArgusServer server) throws IOException {
        Socket s = tinySocket(server);
        OutputStream out = s.getOutputStream();
        out.write(("GET /events/stream?source=" + SOURCE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + server.apiKey()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** Waits until the server counts {@code n} stream clients (admin metrics). */
    private static void awaitClients(ArgusServer server, HttpClient http, int n) throws Exception {
        awaitTrue(n + " stream clients connected", Duration.ofSeconds(60), () -> {
            try {
                String metrics = http.send(HttpRequest.newBuilder(URI.create(server.adminUrl() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                var gauges = ArgusServer.readJson(metrics).get("gauges");
                return gauges.get("argus.streams.clients.ws").get("value").asInt()
                        + gauges.get("argus.streams.clients.sse").get("value").asInt() >= n;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static void awaitTrue(String what, Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }
}
