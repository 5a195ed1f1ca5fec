package dev.argus.service.http;

import dev.argus.service.core.AuthMode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.work.WorkClient;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auth.mode} (SPEC §13.3): strict needs a key everywhere; relaxed lets reads through without
 * one, never writes. Run once per mode ({@link StrictAuthIT}, {@link RelaxedAuthIT}): a
 * {@code ConfigOverride} is a JVM-wide system property, so two modes cannot share one test class.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
abstract class AuthModeChecks {
    abstract DropwizardAppExtension<ArgusConfiguration> app();

    abstract AuthMode mode();
    private static final List<String> READS = List.of("/api/workstreams", "/api/tasks", "/events", "/sources", "/event-types");

    private static WorkClient anonymous(DropwizardAppExtension<ArgusConfiguration> app) {
        return new WorkClient(TestServer.of(app).url(), null);
    }

    private static int streamStatus(DropwizardAppExtension<ArgusConfiguration> app, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.of(app).url() + "/events/stream"))
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    @Test
    void readsNeedAKeyOnlyInStrictMode() throws Exception {
        assertThat(app().getConfiguration().getAuth().getMode()).isEqualTo(mode());
        int expected = mode() == AuthMode.STRICT ? 401 : 200;
        WorkClient keyed = new WorkClient(TestServer.of(app()).url(), TestServer.KEY);
        String ws = keyed.expect(201, keyed.post("/api/workstreams", "{\"name\":\"open\"}")).get("id").asText();
        for (String path : READS) {
            assertThat(anonymous(app()).get(path).status()).as("GET " + path).isEqualTo(expected);
        }
        if (mode() == AuthMode.STRICT) {
            assertThat(anonymous(app()).get("/api/tasks").json().get("error").asText()).isEqualTo("unauthorized");
        } else {
            assertThat(anonymous(app()).get("/api/workstreams").body()).contains(ws);
        }
        assertThat(streamStatus(app(), null)).isEqualTo(expected);
        assertThat(streamStatus(app(), TestServer.KEY)).isEqualTo(200);
        assertThat(new WorkClient(TestServer.of(app()).url(), "wrong").get("/api/tasks").status())
                .as("a wrong key is refused in every mode").isEqualTo(401);
        assertThat(new WorkClient(TestServer.of(app()).url(), "ingest-only-key").get("/api/tasks").status())
                .as("a key without the read scope is refused in every mode").isEqualTo(403);
    }

    @Test
    void noModeAcceptsAWriteWithoutAKey() {
        WorkClient keyed = new WorkClient(TestServer.of(app()).url(), TestServer.KEY);
        String ws = keyed.expect(201, keyed.post("/api/workstreams", "{\"name\":\"guarded\"}")).get("id").asText();
        String task = keyed.expect(201, keyed.post("/api/tasks",
                "{\"workstream_id\":\"" + ws + "\",\"name\":\"guarded\"}")).get("id").asText();
        String before = keyed.get("/api/workstreams?include_archived=true").body() + keyed.get("/api/tasks").body();
        WorkClient anon = anonymous(app());
        assertThat(anon.post("/api/workstreams", "{\"name\":\"sneaky\"}").status()).isEqualTo(401);
        assertThat(anon.post("/api/tasks", "{\"workstream_id\":\"" + ws + "\",\"name\":\"sneaky\"}").status()).isEqualTo(401);
        assertThat(anon.patch("/api/tasks/" + task, "{\"name\":\"sneaky\"}").status()).isEqualTo(401);
        assertThat(anon.patch("/api/workstreams/" + ws, "{\"status\":\"archived\"}").status()).isEqualTo(401);
        assertThat(anon.post("/events", "{\"source\":\"sneaky\",\"event_type\":\"t\"}").status()).isEqualTo(401);
        assertThat(new WorkClient(TestServer.of(app()).url(), "read-only-key")
                .patch("/api/tasks/" + task, "{\"name\":\"sneaky\"}").status()).isEqualTo(403);
        assertThat(keyed.get("/api/workstreams?include_archived=true").body() + keyed.get("/api/tasks").body())
                .isEqualTo(before);
        assertThat(TestServer.of(app()).getJson("/events?source=sneaky").get("events")).isEmpty();
    }

    @Test
    void theWebSocketSubscriptionNeedsAuthOnlyInStrictMode() throws Exception {
        try (Ws ws = new Ws(app())) {
            ws.send("{\"type\":\"subscribe\",\"filters\":{\"source\":\"ws-mode\"}}");
            if (mode() == AuthMode.STRICT) {
                assertThat(ws.next()).contains("not authenticated");
            } else {
                assertThat(ws.next()).contains("subscribe_result");
                TestServer.of(app()).postEvent("{\"source\":\"ws-mode\",\"event_type\":\"t\",\"message\":\"live\"}");
                assertThat(ws.next()).contains("ws-mode").contains("live");
            }
        }
        try (Ws ws = new Ws(app())) {
            ws.send("{\"type\":\"auth\",\"api_key\":\"wrong\"}");
            assertThat(ws.next()).as("a wrong key is refused in every mode").contains("\"status\":\"error\"");
        }
    }

    /** A JDK WebSocket client on {@code /ws} that queues text messages. */
    private static final class Ws implements WebSocket.Listener, AutoCloseable {
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket ws;

        Ws(DropwizardAppExtension<ArgusConfiguration> app) {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + app.getLocalPort() + "/ws"), this).join();
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        String next() throws InterruptedException {
            String m = messages.poll(30, TimeUnit.SECONDS);
            assertThat(m).as("a message within 30 s").isNotNull();
            return m;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
