package dev.argus.service.updates;

import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.work.WorkClient;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code /api/stream} client that stops reading gets {@code event: lagged {"missed":N}}, and ingest never waits on it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class UpdateStreamLagIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension(
            ConfigOverride.config("streams.clientQueueEvents", "10"),
            ConfigOverride.config("limits.maxBatchEvents", "1000"),
            ConfigOverride.config("limits.maxBatchSizeKb", "8192"));

    @Test
    void aClientThatStopsReadingIsToldHowManyItMissed() throws Exception {
        WorkClient api = new WorkClient(TestServer.of(APP).url(), TestServer.KEY);
        String ws = api.expect(201, api.post("/api/workstreams", "{\"name\":\"lag\"}")).get("id").asText();
        String task = api.expect(201, api.post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"lag\"}")).get("id").asText();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
            s.getOutputStream().write(("GET /api/stream?task_id=" + task + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
                    + TestServer.KEY + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("response headers").isNotNegative();
                head.write(b);
            }
            assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            // The client reads nothing more while 5 × 400 updates of ~3 KB are committed.
            String message = "m".repeat(3000);
            for (int round = 0; round < 5; round++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 400; i++) {
                    batch.append(i == 0 ? "" : ",").append("{\"source\":\"ci\",\"event_type\":\"step\",\"message\":\"")
                            .append(message).append("\",\"task_id\":\"").append(task).append("\"}");
                }
                api.expect(201, api.post("/events/batch", batch.append(']').toString()));
            }
            s.setSoTimeout(60_000);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            Pattern lagged = Pattern.compile("event: lagged\ndata: \\{\"missed\":(\\d+)}");
            Matcher m = null;
            boolean found = false;
            while (!found) {
                int n = in.read(buf);
                if (n > 0) {
                    rest.write(buf, 0, n);
                }
                m = lagged.matcher(rest.toString(StandardCharsets.UTF_8));
                found = m.find();
                if (n < 0) {
                    break;
                }
            }
            assertThat(found).as("a lagged frame before the end of the stream").isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
        }
    }
}
