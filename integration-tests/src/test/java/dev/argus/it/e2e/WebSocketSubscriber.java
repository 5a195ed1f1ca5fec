package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code /ws} subscriber on the JDK's {@link WebSocket}: authenticates, subscribes to one source
 * with {@code after_id} = the last id it received, and records events until the socket ends.
 */
final class WebSocketSubscriber extends StreamSubscriber {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String wsUrl;
    private final String apiKey;
    private final String source;
    private volatile WebSocket socket;

    WebSocketSubscriber(String wsUrl, String apiKey, String source) {
        super("e2e-ws-" + source);
        this.wsUrl = wsUrl;
        this.apiKey = apiKey;
        this.source = source;
    }

    @Override
    protected void connectOnce(long afterId) throws Exception {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(wsUrl), new Listener(afterId, ended)).get(15, TimeUnit.SECONDS);
        socket = ws;
        ws.sendText("{\"type\":\"auth\",\"api_key\":\"" + apiKey + "\"}", true);
        try {
            ended.get();
        } finally {
            socket = null;
            ws.abort();
        }
    }

    @Override
    protected void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final long afterId;
        private final CompletableFuture<Void> ended;
        private final StringBuilder text = new StringBuilder();

        Listener(long afterId, CompletableFuture<Void> ended) {
            this.afterId = afterId;
            this.ended = ended;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                try {
                    handle(ws, JSON.readTree(frame));
                } catch (Exception e) {
                    notice("unreadable frame: " + frame);
                }
            }
            ws.request(1);
            return null;
        }

        private void handle(WebSocket ws, JsonNode msg) {
            String type = msg.path("type").asText();
            switch (type) {
                case "auth_result":
                    if (!"success".equals(msg.path("status").asText())) {
                        notice("auth refused: " + msg);
                        return;
                    }
                    ObjectNode sub = JSON.createObjectNode().put("type", "subscribe");
                    sub.putObject("filters").put("source", source);
                    sub.put("after_id", afterId);
                    ws.sendText(sub.toString(), true);
                    break;
                case "subscribe_result":
                    connected();
                    break;
                case "event":
                    received(msg.get("event").get("id").asLong());
                    break;
                default:
                    notice(msg.toString());
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended.complete(null);
        }
    }
}
