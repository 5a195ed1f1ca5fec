package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that queues every text message it receives. */
final class WsTestClient implements AutoCloseable {
    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private WsTestClient(HttpClient http, URI uri) {
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).join();
    }

    static WsTestClient connect(StreamsApp app) {
        return new WsTestClient(app.http(), app.wsUri());
    }

    /** Connects, authenticates with the full key and checks the answer. */
    static WsTestClient authenticated(StreamsApp app) {
        WsTestClient c = connect(app);
        c.send("{\"type\":\"auth\",\"api_key\":\"" + StreamsApp.KEY + "\"}");
        String answer = c.nextText();
        if (!answer.equals("{\"type\":\"auth_result\",\"status\":\"success\"}")) {
            throw new AssertionError("auth answered " + answer);
        }
        return c;
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        ws.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    /** The next message as text; fails after 30 s. */
    String nextText() {
        return nextText(Duration.ofSeconds(30));
    }

    String nextText(Duration timeout) {
        try {
            String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + timeout + (closed.isDone() ? "; closed " + closed.join() : ""));
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode next() {
        return StreamsApp.json(nextText());
    }

    /** A message if one arrives within {@code timeout}, else null. */
    String poll(Duration timeout) {
        try {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every message received so far, without waiting. */
    List<String> drained() {
        List<String> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    /** The close status code sent by the server; fails after {@code timeout}. */
    int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + timeout, e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

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
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
