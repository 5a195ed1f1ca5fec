package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /events/stream} (SPEC §5) against a real server with a real HTTP client. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EventStreamIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension();
    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    @Test
    void sendsHeadersAtOnceThenEventsAsIdEventDataFrames() {
        try (SseTestClient c = SseTestClient.open(app, "?source=sse-a", "X-API-Key", StreamsApp.KEY)) {
            // Headers arrived before any event exists for this filter.
            assertThat(c.response().statusCode()).isEqualTo(200);
            assertThat(c.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(c.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
            app.postOne(StreamsApp.event("sse-other", "filtered out"));
            long id = app.postOne("{\"source\":\"sse-a\",\"event_type\":\"t\",\"message\":\"two\\nlines\","
                    + "\"data\":{\"pretty\":\n  [1,\r\n 2]}}");
            SseTestClient.Frame f = c.nextEventFrame();
            assertThat(f.id()).isEqualTo(Long.toString(id));
            assertThat(f.event()).isEqualTo("event");
            assertThat(StreamsApp.json(f.data())).isEqualTo(StreamsApp.json(app.get("/events/" + id).body()));
        }
    }

    @Test
    void writesTheExactFrameFormat() throws Exception {
        long id = app.postOne(StreamsApp.event("sse-raw", "raw"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(app.url() + "/events/stream?source=sse-raw&after_id=" + (id - 1)))
                .header("Authorization", "Bearer " + StreamsApp.KEY).build();
        HttpResponse<InputStream> r = app.http().send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            String expected = "id: " + id + "\nevent: event\ndata: " + app.get("/events/" + id).body() + "\n\n";
            byte[] got = in.readNBytes(expected.getBytes(StandardCharsets.UTF_8).length);
            assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void acceptsTheKeyAsQueryParameterForEventSource() {
        try (SseTestClient c = SseTestClient.open(app, "?api_key=" + StreamsApp.KEY + "&source=sse-q")) {
            assertThat(c.response().statusCode()).isEqualTo(200);
            long id = app.postOne(StreamsApp.event("sse-q", "m"));
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(id));
        }
    }

    @Test
    void refusesMissingWrongAndUnderScopedKeys() {
        assertError(app.send(HttpRequest.newBuilder(URI.create(app.url() + "/events/stream")).build()), 401, "key");
        assertError(app.send(HttpRequest.newBuilder(URI.create(app.url() + "/events/stream?api_key=nope")).build()), 401, "key");
        assertError(app.send(HttpRequest.newBuilder(URI.create(app.url() + "/events/stream"))
                .header("X-API-Key", StreamsApp.INGEST_ONLY_KEY).build()), 403, "read");
    }

    @Test
    void refusesUnknownParametersAndBadValuesNamingThem() {
        assertError(app.get("/events/stream?sauce=x"), 400, "sauce");
        assertError(app.get("/events/stream?limit=5"), 400, "limit");
        assertError(app.get("/events/stream?level=loud"), 400, "level");
        assertError(app.get("/events/stream?min_level=info&min_level=warn"), 400, "min_level");
        assertError(app.get("/events/stream?after_id=-3"), 400, "after_id");
        assertError(app.get("/events/stream?after_id=abc"), 400, "after_id");
        assertError(app.send(HttpRequest.newBuilder(URI.create(app.url() + "/events/stream"))
                .header("X-API-Key", StreamsApp.KEY).header("Last-Event-ID", "x1").build()), 400, "Last-Event-ID");
        assertError(app.send(HttpRequest.newBuilder(URI.create(app.url() + "/events/stream"))
                .header("X-API-Key", StreamsApp.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 405, "GET");
    }

    @Test
    void lastEventIdWinsOverAfterIdAndFiltersApplyToTheReplay() {
        long first = app.postOne(StreamsApp.event("sse-r", "1"));
        app.postOne(StreamsApp.event("sse-r-other", "2"));
        long third = app.postOne("{\"source\":\"sse-r\",\"event_type\":\"t\",\"level\":\"error\"}");
        long fourth = app.postOne("{\"source\":\"sse-r\",\"event_type\":\"t\",\"level\":\"info\"}");
        try (SseTestClient c = SseTestClient.open(app, "?source=sse-r&after_id=" + (first - 1),
                "X-API-Key", StreamsApp.KEY, "Last-Event-ID", Long.toString(first))) {
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(third));
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(fourth));
        }
        try (SseTestClient c = SseTestClient.open(app, "?source=sse-r&min_level=WARNING&after_id=" + (first - 1),
                "X-API-Key", StreamsApp.KEY)) {
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(third));
            long live = app.postOne("{\"source\":\"sse-r\",\"event_type\":\"t\",\"level\":\"fatal\"}");
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(live));
        }
    }

    @Test
    void replayStopsAtTenThousandWithAReplayTruncatedFrame() {
        long base = app.postOne(StreamsApp.event("sse-bulk-base", "x"));
        List<Long> ids = new ArrayList<>();
        for (int b = 0; b < 11; b++) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < (b < 10 ? 1000 : 20); i++) {
                batch.add(StreamsApp.event("sse-bulk", "n"));
            }
            ids.addAll(app.postBatch(batch));
        }
        try (SseTestClient c = SseTestClient.open(app, "?source=sse-bulk", "X-API-Key", StreamsApp.KEY,
                "Last-Event-ID", Long.toString(base))) {
            for (int i = 0; i < 10_000; i++) {
                assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(ids.get(i)));
            }
            SseTestClient.Frame t = c.nextEventFrame();
            assertThat(t.event()).isEqualTo("replay_truncated");
            assertThat(t.id()).isNull();
            assertThat(t.data()).isEqualTo("{\"resume_after_id\":" + ids.get(9_999) + "}");
            // Then live: ids above resume_after_id, increasing. Events still being dispatched when the
            // stream opened may come live too; a client paging from resume_after_id skips ids it has.
            long live = app.postOne(StreamsApp.event("sse-bulk", "live"));
            long previous = ids.get(9_999);
            while (previous != live) {
                long id = Long.parseLong(c.nextEventFrame().id());
                assertThat(id).isGreaterThan(previous);
                assertThat(id == live || ids.contains(id)).isTrue();
                previous = id;
            }
        }
    }

    @Test
    void sendsAKeepaliveCommentEveryFifteenSeconds() {
        try (SseTestClient c = SseTestClient.open(app, "?source=sse-nothing-ever", "X-API-Key", StreamsApp.KEY)) {
            SseTestClient.Frame f = c.next(Duration.ofSeconds(40));
            assertThat(f.comment()).isEqualTo("keepalive");
            assertThat(f.data()).isNull();
        }
    }

    @Test
    void countsConnectedClientsAndForgetsClosedOnes() throws Exception {
        int before = app.gauge("argus.streams.clients.sse");
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.getOutputStream().write(("GET /events/stream?source=sse-count HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                    + StreamsApp.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
            StreamsApp.await("client counted", Duration.ofSeconds(10), () -> app.gauge("argus.streams.clients.sse") == before + 1);
        }
        // A closed stream is noticed at the next write: this event, or at the latest the 15 s keepalive.
        app.postOne(StreamsApp.event("sse-count", "wake the writer"));
        // (<=: streams of earlier tests may be noticed closed meanwhile too.)
        StreamsApp.await("client forgotten", Duration.ofSeconds(40), () -> app.gauge("argus.streams.clients.sse") <= before);
    }

    private static void assertError(HttpResponse<String> r, int code, String mentions) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = StreamsApp.json(r.body());
        assertThat(body.get("code").asInt()).isEqualTo(code);
        assertThat(body.get("message").asText()).containsIgnoringCase(mentions);
    }
}
