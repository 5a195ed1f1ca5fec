package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code /ws} protocol of SPEC §4, message by message, against a real server and a real client. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebSocketProtocolIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension();
    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    @Test
    void authenticatesWithAValidKeyAndAnswersPing() {
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"ping\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void refusesAnInvalidKeyAndClosesWith1008() {
        try (WsTestClient c = WsTestClient.connect(app)) {
            c.send("{\"type\":\"auth\",\"api_key\":\"wrong\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"auth_result\",\"status\":\"error\",\"message\":\"Invalid API key\"}");
            assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
        }
    }

    @Test
    void refusesAnAuthMessageWithoutKeyAndClosesWith1008() {
        try (WsTestClient c = WsTestClient.connect(app)) {
            c.send("{\"type\":\"auth\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"auth_result\",\"status\":\"error\",\"message\":\"Invalid API key\"}");
            assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
        }
    }

    @Test
    void ignoresTheOriginHeaderForAuthentication() throws Exception {
        var ws = app.http().newWebSocketBuilder().header("Origin", app.url());
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        var closed = new java.util.concurrent.CompletableFuture<Integer>();
        var socket = ws.buildAsync(app.wsUri(), new java.net.http.WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence d, boolean last) {
                got.add(d.toString());
                w.request(1);
                return null;
            }

            @Override
            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                closed.complete(code);
                return null;
            }
        }).join();
        socket.sendText("{\"type\":\"auth\",\"api_key\":\"\"}", true).join();
        assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(got).containsExactly("{\"type\":\"auth_result\",\"status\":\"error\",\"message\":\"Invalid API key\"}");
    }

    @Test
    void refusesAKeyWithoutTheReadScope() {
        try (WsTestClient c = WsTestClient.connect(app)) {
            c.send("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.INGEST_ONLY_KEY + "\"}");
            JsonNode answer = c.next();
            assertThat(answer.get("type").asText()).isEqualTo("auth_result");
            assertThat(answer.get("status").asText()).isEqualTo("error");
            assertThat(answer.get("message").asText()).contains("read");
            assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
        }
    }

    @Test
    void beforeAuthenticationOnlyPingIsAnsweredAndNoEventIsDelivered() {
        try (WsTestClient c = WsTestClient.connect(app)) {
            c.send("{\"type\":\"ping\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"pong\"}");
            c.send("{\"type\":\"subscribe\",\"filters\":{}}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"error\",\"message\":\"not authenticated\"}");
            c.send("not json");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"error\",\"message\":\"not authenticated\"}");
            c.send("{\"type\":\"bogus\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"error\",\"message\":\"not authenticated\"}");
            app.postOne(StreamsApp.event("pre-auth", "must not be streamed"));
            c.send("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"auth_result\",\"status\":\"success\"}");
            // Authenticated but not subscribed: still no events.
            app.postOne(StreamsApp.event("pre-auth", "must not be streamed either"));
            c.send("{\"type\":\"ping\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"pong\"}");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void closesWith1008WhenNoAuthMessageArrivesWithinTenSeconds() {
        try (WsTestClient c = WsTestClient.connect(app)) {
            c.send("{\"type\":\"ping\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"pong\"}");
            assertThat(c.awaitClose(Duration.ofSeconds(40))).isEqualTo(1008);
        }
    }

    @Test
    void unknownTypesNonJsonAndBinaryGetAnErrorAndTheConnectionStaysOpen() {
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"dance\"}");
            assertError(c.next(), "dance");
            c.send("{not json");
            assertError(c.next(), "JSON");
            c.send("[1,2]");
            assertError(c.next(), "type");
            c.send("{\"no_type\":true}");
            assertError(c.next(), "type");
            c.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
            assertError(c.next(), "binary");
            c.send("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
            assertError(c.next(), "already authenticated");
            c.send("{\"type\":\"ping\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"pong\"}");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void badSubscribeMessagesGetAnErrorAndKeepTheOldSubscription() {
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"keep\"}}");
            assertThat(c.next().get("type").asText()).isEqualTo("subscribe_result");
            c.send("{\"type\":\"subscribe\",\"filters\":{\"level\":\"loud\"}}");
            assertError(c.next(), "level");
            c.send("{\"type\":\"subscribe\",\"filters\":{\"min_level\":[\"info\",\"warn\"]}}");
            assertError(c.next(), "min_level");
            c.send("{\"type\":\"subscribe\",\"filters\":{\"sauce\":\"x\"}}");
            assertError(c.next(), "sauce");
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":42}}");
            assertError(c.next(), "source");
            c.send("{\"type\":\"subscribe\",\"filters\":{\"tag\":[\"a\",1]}}");
            assertError(c.next(), "tag");
            c.send("{\"type\":\"subscribe\",\"filters\":[\"source\"]}");
            assertError(c.next(), "filters");
            c.send("{\"type\":\"subscribe\",\"filters\":{},\"after_id\":-1}");
            assertError(c.next(), "after_id");
            c.send("{\"type\":\"subscribe\",\"filters\":{},\"after_id\":\"x\"}");
            assertError(c.next(), "after_id");
            long id = app.postOne(StreamsApp.event("keep", "still subscribed"));
            JsonNode e = c.next();
            assertThat(e.get("type").asText()).isEqualTo("event");
            assertThat(e.get("event").get("id").asLong()).isEqualTo(id);
        }
    }

    @Test
    void subscribeEchoesActiveFiltersAndDeliversEventsInTheirWireForm() {
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"echo\",\"event_type\":[\"test\",\"other\"],"
                    + "\"level\":\"ERROR\",\"tag\":null}}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"subscribe_result\",\"status\":\"subscribed\","
                    + "\"active_filters\":{\"source\":\"echo\",\"event_type\":[\"test\",\"other\"],\"level\":\"error\"}}");
            long id = app.postOne("{\"source\":\"echo\",\"event_type\":\"test\",\"level\":\"Error\",\"message\":\"m\","
                    + "\"data\":{\"b\":1,\"a\":[1.50,12345678901234567890],\"u\":\"\\u00e9\"},\"tags\":[\"x\"],\"session_id\":\"s\"}");
            JsonNode msg = c.next();
            assertThat(msg.fieldNames()).toIterable().containsExactly("type", "event");
            assertThat(msg.get("type").asText()).isEqualTo("event");
            JsonNode stored = StreamsApp.json(app.get("/events/" + id).body());
            assertThat(msg.get("event")).isEqualTo(stored);
        }
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"subscribe\"}");
            assertThat(c.nextText()).isEqualTo("{\"type\":\"subscribe_result\",\"status\":\"subscribed\",\"active_filters\":{}}");
        }
    }

    @Test
    void liveFiltersMatchExactlyWhatGetEventsReturns() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"source\":\"f-a\"}", "source=f-a");
        cases.put("{\"source\":[\"f-a\",\"f-b\"]}", "source=f-a&source=f-b");
        cases.put("{\"event_type\":\"deploy\"}", "event_type=deploy");
        cases.put("{\"level\":\"WARN\"}", "level=warn");
        cases.put("{\"level\":[\"debug\",\"Fatal\"]}", "level=debug&level=fatal");
        cases.put("{\"min_level\":\"Warning\"}", "min_level=warn");
        cases.put("{\"session_id\":\"s-1\"}", "session_id=s-1");
        cases.put("{\"tag\":\"blue\"}", "tag=blue");
        cases.put("{\"tag\":[\"blue\",\"red\"],\"source\":\"f-b\"}", "tag=blue&tag=red&source=f-b");
        cases.put("{\"q\":\"DISK\"}", "q=DISK");
        cases.put("{}", "");

        long base = app.postOne(StreamsApp.event("f-base", "base"));
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (String filters : cases.keySet()) {
                WsTestClient c = WsTestClient.authenticated(app);
                clients.add(c);
                c.send("{\"type\":\"subscribe\",\"filters\":" + filters + "}");
                assertThat(c.next().get("type").asText()).isEqualTo("subscribe_result");
            }
            app.postBatch(List.of(
                    "{\"source\":\"f-a\",\"event_type\":\"deploy\",\"level\":\"info\",\"message\":\"disk full\",\"tags\":[\"blue\"]}",
                    "{\"source\":\"f-b\",\"event_type\":\"build\",\"level\":\"warn\",\"message\":\"slow\",\"session_id\":\"s-1\",\"tags\":[\"red\"]}",
                    "{\"source\":\"f-c\",\"event_type\":\"deploy\",\"message\":\"no level, Disk\"}",
                    "{\"source\":\"f-a\",\"event_type\":\"build\",\"level\":\"fatal\",\"tags\":[\"green\",\"blue\"]}",
                    "{\"source\":\"f-b\",\"event_type\":\"deploy\",\"level\":\"debug\",\"message\":\"x\",\"session_id\":\"s-2\",\"tags\":[\"blue\"]}",
                    "{\"source\":\"f-c\",\"event_type\":\"test\",\"level\":\"error\",\"message\":\"100% disk\",\"session_id\":\"s-1\"}"));
            int i = 0;
            for (Map.Entry<String, String> kase : cases.entrySet()) {
                String q = kase.getValue().isEmpty() ? "" : kase.getValue() + "&";
                List<Long> expected = ids(StreamsApp.json(app.get("/events?" + encodeValues(q) + "order=asc&after_id=" + base).body()).get("events"));
                assertThat(expected).as("GET /events for %s", kase.getKey()).isNotEmpty();
                WsTestClient c = clients.get(i++);
                List<Long> live = new ArrayList<>();
                while (live.size() < expected.size()) {
                    JsonNode m = c.next();
                    assertThat(m.get("type").asText()).isEqualTo("event");
                    live.add(m.get("event").get("id").asLong());
                }
                assertThat(live).as("live events for %s", kase.getKey()).isEqualTo(expected);

                try (WsTestClient r = WsTestClient.authenticated(app)) {
                    r.send("{\"type\":\"subscribe\",\"filters\":" + kase.getKey() + ",\"after_id\":" + base + "}");
                    assertThat(r.next().get("type").asText()).isEqualTo("subscribe_result");
                    List<Long> replayed = new ArrayList<>();
                    while (replayed.size() < expected.size()) {
                        replayed.add(r.next().get("event").get("id").asLong());
                    }
                    assertThat(replayed).as("replayed events for %s", kase.getKey()).isEqualTo(expected);
                }
            }
        } finally {
            clients.forEach(WsTestClient::close);
        }
    }

    @Test
    void aNewSubscribeReplacesTheOldOne() {
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"r-one\"}}");
            assertThat(c.next().get("type").asText()).isEqualTo("subscribe_result");
            long first = app.postOne(StreamsApp.event("r-one", "1"));
            assertThat(c.next().get("event").get("id").asLong()).isEqualTo(first);
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"r-two\"}}");
            assertThat(c.next().get("type").asText()).isEqualTo("subscribe_result");
            app.postOne(StreamsApp.event("r-one", "old filter"));
            long second = app.postOne(StreamsApp.event("r-two", "new filter"));
            JsonNode m = c.next();
            assertThat(m.get("event").get("id").asLong()).isEqualTo(second);
            assertThat(m.get("event").get("source").asText()).isEqualTo("r-two");
        }
    }

    @Test
    void replayStopsAtTenThousandWithResumePointThenGoesLive() {
        long base = app.postOne(StreamsApp.event("bulk-base", "x"));
        List<Long> ids = new ArrayList<>();
        for (int b = 0; b < 11; b++) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < (b < 10 ? 1000 : 50); i++) {
                batch.add(StreamsApp.event("bulk", "n" + i));
            }
            ids.addAll(app.postBatch(batch));
        }
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"bulk\"},\"after_id\":" + base + "}");
            assertThat(c.next().get("type").asText()).isEqualTo("subscribe_result");
            for (int i = 0; i < 10_000; i++) {
                JsonNode m = c.next();
                assertThat(m.get("type").asText()).isEqualTo("event");
                assertThat(m.get("event").get("id").asLong()).isEqualTo(ids.get(i));
            }
            assertThat(c.nextText()).isEqualTo("{\"type\":\"replay_truncated\",\"resume_after_id\":" + ids.get(9_999) + "}");
            // Then live: ids above resume_after_id, increasing (events still being dispatched when
            // the client subscribed may come live; a client paging from resume_after_id skips ids it has).
            long live = app.postOne(StreamsApp.event("bulk", "live"));
            long previous = ids.get(9_999);
            while (previous != live) {
                JsonNode m = c.next();
                assertThat(m.get("type").asText()).isEqualTo("event");
                long id = m.get("event").get("id").asLong();
                assertThat(id).isGreaterThan(previous);
                assertThat(id == live || ids.contains(id)).isTrue();
                previous = id;
            }
        }
    }

    private static void assertError(JsonNode msg, String mentions) {
        assertThat(msg.get("type").asText()).isEqualTo("error");
        assertThat(msg.get("message").asText()).containsIgnoringCase(mentions);
        assertThat(msg.size()).isEqualTo(2);
    }

    private static List<Long> ids(JsonNode events) {
        List<Long> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("id").asLong()));
        return out;
    }

    private static String encodeValues(String query) {
        StringBuilder b = new StringBuilder();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            b.append(pair, 0, eq + 1).append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8)).append('&');
        }
        return b.toString();
    }
}
