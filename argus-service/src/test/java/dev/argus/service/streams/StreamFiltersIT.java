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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repeated text filters with metacharacters and non-ASCII letters in a stream's replay and live
 * phase (SSE and WebSocket): the replay's SQL and the live matcher pick the same events, and the
 * stream goes on (the SQL once failed on {@code q=a&q=b} and ended the stream).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamFiltersIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension();
    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    @Test
    void sseReplayAndLiveAgreeOnRepeatedTextFilters() {
        String src = "sse-text";
        long first = app.postOne(StreamsApp.event(src, "Alpha Caf\u00c9"));
        app.postOne(StreamsApp.event(src, "nothing here"));
        long second = app.postOne(StreamsApp.event(src, "STRASSE 5, 50%_off"));
        String q = "&q=" + enc("café") + "&q=" + enc("straße") + "&q=" + enc("'\\?:");
        try (SseTestClient c = SseTestClient.open(app, "?source=" + src + q + "&after_id=" + (first - 1),
                "X-API-Key", StreamsApp.KEY)) {
            assertThat(c.response().statusCode()).isEqualTo(200);
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(first));
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(second));
            app.postOne(StreamsApp.event(src, "skip me"));
            long live = app.postOne(StreamsApp.event(src, "it's '\\\\?:' indeed"));
            assertThat(c.nextEventFrame().id()).isEqualTo(Long.toString(live));
        }
    }

    @Test
    void webSocketReplayAndLiveAgreeOnRepeatedTextFilters() {
        String src = "ws-text";
        long first = app.postOne(StreamsApp.event(src, "\u00c9t\u00e9 au caf\u00e9"));
        app.postOne(StreamsApp.event(src, "nothing here"));
        long second = app.postOne(StreamsApp.event(src, "100% _done_"));
        try (WsTestClient c = WsTestClient.authenticated(app)) {
            c.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"" + src + "\",\"q\":[\"CAF\u00c9\",\"%\",\"\\\\\"]},"
                    + "\"after_id\":" + (first - 1) + "}");
            assertThat(c.next().get("type").asText()).isEqualTo("subscribe_result");
            assertThat(nextEventId(c)).isEqualTo(first);
            assertThat(nextEventId(c)).isEqualTo(second);
            app.postOne(StreamsApp.event(src, "skip me"));
            long live = app.postOne(StreamsApp.event(src, "a \\\\ backslash"));
            assertThat(nextEventId(c)).isEqualTo(live);
        }
    }

    private static long nextEventId(WsTestClient c) {
        while (true) {
            JsonNode m = c.next();
            if (m.get("type").asText().equals("event")) {
                return m.get("event").get("id").asLong();
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
