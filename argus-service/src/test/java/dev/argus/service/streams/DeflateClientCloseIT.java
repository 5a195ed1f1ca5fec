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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code streams.permessageDeflate} on, every close the server starts follows its message and
 * reaches a client that negotiated the extension (as browsers and Node do) as a clean close with
 * that code (SPEC §4): refused key, auth message without a key, auth time-out (2 s here).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeflateClientCloseIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension(
            ConfigOverride.config("streams.authTimeoutSeconds", "2"),
            ConfigOverride.config("streams.permessageDeflate", "true"));
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
}
