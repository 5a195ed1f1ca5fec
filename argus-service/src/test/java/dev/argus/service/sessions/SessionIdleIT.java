package dev.argus.service.sessions;

import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Idle detection (SPEC §12.3) with {@code sessions.idleMinutes} of 1.2 s and a check every second. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SessionIdleIT {
    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension(
            ConfigOverride.config("sessions.idleMinutes", "0.02"),
            ConfigOverride.config("sessions.idleCheckSeconds", "1"));

    private final TestServer server = TestServer.of(APP);

    private void hook(String fixture, String session) {
        int code = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/hooks/claude"))
                .header("X-API-Key", TestServer.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ClaudeHooksApiIT.inSession(fixture, session))).build())
                .statusCode();
        assertThat(code).isEqualTo(200);
    }

    private String status(String session) {
        return server.getJson("/sessions/" + session).get("status").asText();
    }

    @Test
    void aQuietSessionTurnsIdleAndAnEventMakesItActiveAgain() throws InterruptedException {
        String session = UUID.randomUUID().toString();
        hook("SessionStart", session);
        assertThat(status(session)).isEqualTo("active");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!status(session).equals("idle")) {
            assertThat(System.nanoTime()).as("idle within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(server.getJson("/sessions?status=idle").get("sessions").get(0).get("id").asText())
                .isEqualTo(session);
        hook("UserPromptSubmit", session);
        assertThat(status(session)).isEqualTo("active");
        // an ended session never turns idle
        hook("SessionEnd", session);
        Thread.sleep(2500);
        assertThat(status(session)).isEqualTo("ended");
    }
}
