package dev.argus.service.streams;

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
 * The 1013 close follows its message (SPEC §4): a client that stopped reading until it lagged, and
 * did not take the lagged notice off its socket in time, gets the notice and then close 1013 once
 * it reads again. The client offers {@code permessage-deflate} as browsers do; by default the
 * server declines it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LaggingClientCloseIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension(
            ConfigOverride.config("streams.clientQueueEvents", "200"));

    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    @Test
    void aClientThatStopsReadingUntilItLagsGetsTheNoticeThenClose1013() throws Exception {
        // A client whose reads the test controls (the Jetty client keeps reading while it waits for demand).
        try (RawWebSocket c = new RawWebSocket(app.port(), true, false)) {
            c.sendText("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
            assertThat(c.nextText()).contains("success");
            c.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"close-1013\"}}");
            assertThat(c.nextText()).contains("subscribe_result");
            long laggedBefore = app.meterCount("argus.streams.lagged");
            long closedBefore = app.meterCount("argus.streams.closed-slow");
            int posted = 0;
            // Not reading. One event per request, so that the queue (200) overflows only once writes
            // to the full socket block (a burst larger than the queue would lag it while the socket
            // still takes the notice, and a client that was told is not closed).
            String padding = randomText(8_000);
            while (app.meterCount("argus.streams.lagged") == laggedBefore) {
                app.postOne(StreamsApp.event("close-1013", padding));
                posted++;
                assertThat(posted).as("events posted before the client lagged").isLessThan(50_000);
            }
            // The server gives the client a while to take the notice, then queues close 1013 behind it.
            StreamsApp.await("the server closing the stuck client (posted " + posted + ", sent "
                    + app.meterCount("argus.streams.messages.sent") + ", dropped " + app.meterCount("argus.streams.messages.dropped")
                    + ", ws clients " + app.gauge("argus.streams.clients.ws") + ")", Duration.ofSeconds(60),
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
