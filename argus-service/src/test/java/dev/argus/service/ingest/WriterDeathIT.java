package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer thread dies (an {@link Error} outside every per-transaction guard): the request in
 * its hands and every later one are answered 503 at once, never hang, and health is unhealthy.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WriterDeathIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    @Test
    void aDeadWriterAnswers503AtOnceAndTurnsHealthUnhealthy() throws Exception {
        TestServer server = TestServer.of(APP);
        assertThat(server.postEvent("{\"source\":\"death\",\"event_type\":\"before\"}").statusCode()).isEqualTo(201);
        StorageChecks.engine(APP).injectFaults(new WriterFaults() {
            @Override
            public void taken(int requests) {
                throw new Error("injected writer death");
            }
        });
        for (String body : List.of("{\"source\":\"death\",\"event_type\":\"in-hand\"}",
                "{\"source\":\"death\",\"event_type\":\"after\"}")) {
            long started = System.nanoTime();
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                    .timeout(Duration.ofSeconds(30)).header("X-API-Key", TestServer.KEY)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(TestServer.json(r.body()).get("message").asText())
                    .startsWith("storage unavailable: the writer stopped after an internal error (Error: injected writer death)")
                    .contains("restart the server").endsWith("nothing of this request was stored");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        HttpResponse<String> batch = server.post("/events/batch", "application/json", "[{\"source\":\"death\",\"event_type\":\"b\"}]");
        assertThat(batch.statusCode()).isEqualTo(503);

        JsonNode health = StorageChecks.databaseHealth(server);
        assertThat(health.get("healthy").asBoolean()).isFalse();
        assertThat(health.get("message").asText()).contains("the writer stopped after an internal error");
        assertThat(server.getJson("/events?source=death").get("events")).hasSize(1);
    }
}
