package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading never slows ingest or other subscribers: its bounded outbox
 * (the default 10,000 events) overflows, it is told it lagged, and it is closed if it stays
 * stuck (SPEC §4). Events carry 2 KB of text so that a stuck client's outbox and socket buffers
 * overflow well before the 20,000 events are posted; posting is paced at 4,000 events/s so that
 * a loaded test machine does not make the readers themselves fall behind.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SlowClientIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP =
            StreamsApp.extension(ConfigOverride.config("streams.clientQueueEvents", "10000"));
    private static final String PADDING = "x".repeat(2_000);
    private static final int EVENTS_PER_SECOND = 4_000;

    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    @Test
    void clientsThatNeverReadDoNotSlowIngestOrOtherSubscribers() throws Exception {
        // Connections of the other test in this class must be gone first: the counts below are exact.
        StreamsApp.await("no stream clients left", Duration.ofSeconds(60),
                () -> app.gauge("argus.streams.clients.ws") + app.gauge("argus.streams.clients.sse") == 0);
        int before = 0;
        long droppedBefore = app.meterCount("argus.streams.messages.dropped");
        try (WsTestClient goodWs = WsTestClient.authenticated(app);
             RawWebSocket stuckWs = new RawWebSocket(app.port());
             Socket stuckSse = openSseWithoutReading()) {
            goodWs.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"slow\"}}");
            assertThat(goodWs.next().get("type").asText()).isEqualTo("subscribe_result");
            SseTestClient goodSse = SseTestClient.open(app, "?api_key=" + StreamsApp.KEY + "&source=slow");
            stuckWs.sendText("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
            assertThat(stuckWs.nextText()).contains("success");
            stuckWs.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"slow\"}}");
            assertThat(stuckWs.nextText()).contains("subscribe_result");
            StreamsApp.await("all four stream clients connected", Duration.ofSeconds(10),
                    () -> app.gauge("argus.streams.clients.ws") + app.gauge("argus.streams.clients.sse") == before + 4);

            List<Long> posted = postConcurrently(20_000);

            assertThat(receiveWs(goodWs, posted.size())).isEqualTo(posted);
            assertThat(receiveSse(goodSse, posted.size())).isEqualTo(posted);
            assertThat(app.meterCount("argus.streams.messages.dropped")).isGreaterThan(droppedBefore);
            // Both stuck clients are cut off once their lagged notice has waited too long.
            StreamsApp.await("stuck clients closed", Duration.ofSeconds(60),
                    () -> app.gauge("argus.streams.clients.ws") + app.gauge("argus.streams.clients.sse") == before + 2);
            goodSse.close();
        }
    }

    @Test
    void aClientThatFallsBehindIsToldItLaggedAndResumesWithoutAGap() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(app.port())) {
            ws.sendText("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
            assertThat(ws.nextText()).contains("success");
            ws.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"lag\"}}");
            assertThat(ws.nextText()).contains("subscribe_result");
            long laggedBefore = app.meterCount("argus.streams.lagged");
            List<Long> posted = new ArrayList<>();
            // Not reading: keep posting until the server gives up on the backlog.
            while (app.meterCount("argus.streams.lagged") == laggedBefore) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    batch.add(StreamsApp.event("lag", PADDING));
                }
                posted.addAll(app.postBatch(batch));
                assertThat(posted.size()).as("events posted before the client lagged").isLessThan(200_000);
            }
            List<Long> received = new ArrayList<>();
            JsonNode lagged;
            while (true) {
                JsonNode m = StreamsApp.json(ws.nextText());
                if (m.get("type").asText().equals("lagged")) {
                    lagged = m;
                    break;
                }
                assertThat(m.get("type").asText()).isEqualTo("event");
                received.add(m.get("event").get("id").asLong());
            }
            assertThat(lagged.size()).isEqualTo(2);
            assertThat(lagged.get("missed").asLong()).isPositive();
            assertThat(received).isEqualTo(posted.subList(0, received.size()));
            posted.addAll(app.postBatch(List.of(StreamsApp.event("lag", "after the lag"))));

            long resumeFrom = received.isEmpty() ? posted.get(0) - 1 : received.get(received.size() - 1);
            ws.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"lag\"},\"after_id\":" + resumeFrom + "}");
            // Nothing of the suspended subscription arrives between the notice and the new answer.
            assertThat(StreamsApp.json(ws.nextText()).get("type").asText()).isEqualTo("subscribe_result");
            while (received.size() < posted.size()) {
                JsonNode m = StreamsApp.json(ws.nextText());
                if (m.get("type").asText().equals("replay_truncated")) {
                    // More than 10,000 to replay: page the rest over HTTP, as SPEC §4 says.
                    long after = m.get("resume_after_id").asLong();
                    assertThat(after).isEqualTo(received.get(received.size() - 1));
                    while (true) {
                        JsonNode page = StreamsApp.json(app.get("/events?source=lag&order=asc&limit=1000&after_id=" + after).body());
                        if (page.get("events").isEmpty()) {
                            break;
                        }
                        for (JsonNode e : page.get("events")) {
                            received.add(e.get("id").asLong());
                            after = e.get("id").asLong();
                        }
                    }
                    continue;
                }
                assertThat(m.get("type").asText()).isEqualTo("event");
                received.add(m.get("event").get("id").asLong());
            }
            assertThat(received).isEqualTo(posted);
        }
    }

    private static Socket openSseWithoutReading() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", app.port()), 10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /events/stream?source=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + StreamsApp.KEY
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static List<Long> postConcurrently(int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> jobs = new ArrayList<>();
            int perBatch = 100;
            long start = System.nanoTime();
            long slotNanos = TimeUnit.SECONDS.toNanos(1) * perBatch / EVENTS_PER_SECOND;
            for (int b = 0; b < total / perBatch; b++) {
                long due = start + b * slotNanos;
                jobs.add(pool.submit(() -> {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    List<String> batch = new ArrayList<>(perBatch);
                    for (int i = 0; i < perBatch; i++) {
                        batch.add(StreamsApp.event("slow", PADDING));
                    }
                    ids.addAll(app.postBatch(batch));
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(total);
        return sorted;
    }

    private static List<Long> receiveWs(WsTestClient c, int count) {
        List<Long> ids = new ArrayList<>(count);
        while (ids.size() < count) {
            JsonNode m = c.next();
            assertThat(m.get("type").asText()).as("message %s", m).isEqualTo("event");
            ids.add(m.get("event").get("id").asLong());
        }
        return ids;
    }

    private static List<Long> receiveSse(SseTestClient c, int count) {
        List<Long> ids = new ArrayList<>(count);
        while (ids.size() < count) {
            SseTestClient.Frame f = c.nextEventFrame();
            assertThat(f.event()).as("frame %s", f).isEqualTo("event");
            ids.add(Long.parseLong(f.id()));
        }
        return ids;
    }
}
