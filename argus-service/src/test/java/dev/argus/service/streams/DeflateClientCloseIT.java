package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every close the server starts follows its message and reaches a client that negotiated
 * {@code permessage-deflate} (as browsers and Node do) as a clean close with that code (SPEC §4):
 * refused key, auth message without a key, auth time-out (shortened to 2 s here), and 1013 for a
 * client that stopped reading until it lagged.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeflateClientCloseIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension(
            ConfigOverride.config("streams.authTimeoutSeconds", "2"),
            ConfigOverride.config("streams.clientQueueEvents", "200"));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REFUSED = "{\"type\":\"auth_result\",\"status\":\"error\",\"message\":\"Invalid API key\"}";

    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    @Test
    void aWrongKeyGetsItsAnswerThenClose1008() throws Exception {
        try (DeflateWsClient c = DeflateWsClient.connect(app.wsUri())) {
            assertThat(c.negotiatedExtensions()).contains("permessage-deflate");
            c.send("{\"type\":\"auth\",\"api_key\":\"wrong\"}");
            assertThat(c.next(WAIT).text()).isEqualTo(REFUSED);
            assertThat(c.next(WAIT)).isEqualTo(new DeflateWsClient.Received(null, 1008));
        }
    }

    @Test
    void anAuthMessageWithoutKeyGetsItsAnswerThenClose1008() throws Exception {
        try (DeflateWsClient c = DeflateWsClient.connect(app.wsUri())) {
            c.send("{\"type\":\"auth\"}");
            assertThat(c.next(WAIT).text()).isEqualTo(REFUSED);
            assertThat(c.next(WAIT)).isEqualTo(new DeflateWsClient.Received(null, 1008));
        }
    }

    @Test
    void noAuthWithinTheTimeOutGetsAnAnswerThenClose1008() throws Exception {
        try (DeflateWsClient c = DeflateWsClient.connect(app.wsUri())) {
            c.send("{\"type\":\"ping\"}");
            assertThat(c.next(WAIT).text()).isEqualTo("{\"type\":\"pong\"}");
            JsonNode answer = StreamsApp.json(c.next(WAIT).text());
            assertThat(answer.get("type").asText()).isEqualTo("auth_result");
            assertThat(answer.get("status").asText()).isEqualTo("error");
            assertThat(answer.get("message").asText()).contains("timeout");
            assertThat(c.next(WAIT)).isEqualTo(new DeflateWsClient.Received(null, 1008));
        }
    }

    @Test
    void aClientThatStopsReadingUntilItLagsGetsTheNoticeThenClose1013() throws Exception {
        // A client whose reads the test controls (the Jetty client keeps reading while it waits for demand).
        try (RawWebSocket c = new RawWebSocket(app.port(), true)) {
            c.sendText("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
            assertThat(c.nextText()).contains("success");
            c.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"close-1013\"}}");
            assertThat(c.nextText()).contains("subscribe_result");
            long laggedBefore = app.meterCount("argus.streams.lagged");
            long closedBefore = app.meterCount("argus.streams.closed-slow");
            int posted = 0;
            // Not reading; events that deflate cannot shrink much, so that the socket buffers fill.
            while (app.meterCount("argus.streams.lagged") == laggedBefore) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    batch.add(StreamsApp.event("close-1013", randomText(2_000)));
                }
                posted += app.postBatch(batch).size();
                assertThat(posted).as("events posted before the client lagged").isLessThan(200_000);
            }
            // The server gives the client a while to take the notice, then queues close 1013 behind it.
            StreamsApp.await("the server closing the stuck client", Duration.ofSeconds(60),
                    () -> app.meterCount("argus.streams.closed-slow") > closedBefore);
            List<String> types = new ArrayList<>();
            RawWebSocket.Message m;
            while ((m = c.next()).text() != null) {
                types.add(StreamsApp.json(m.text()).get("type").asText());
            }
            assertThat(m.closeCode()).isEqualTo(1013);
            assertThat(types).isNotEmpty();
            assertThat(types.get(types.size() - 1)).as("the message the close follows").isEqualTo("lagged");
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
