package dev.argus.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A live subscriber to one node (WebSocket {@code /ws} or SSE {@code /events/stream}, filtered by
 * source) that resumes with {@code after_id} = the last id it received whenever its connection
 * ends, as a client riding through restarts does. With {@code churnMillis > 0} it also drops its
 * connection at random moments of that order, so that every resume's replay→live hand-over runs
 * while events are being committed. A {@code lagged} or {@code replay_truncated} notice makes it
 * resume too (that is what the protocol asks of a client). Every event id is recorded in arrival
 * order.
 */
abstract class Subscriber implements AutoCloseable {
    private final List<Long> ids = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final Thread loop;
    protected final String source;
    private final long churnMillis;
    private volatile boolean closed;
    private volatile boolean churning;
    private int connections;
    /** Where the current connection is (for failure messages). */
    protected volatile String phase = "new";

    Subscriber(String name, String source, long churnMillis) {
        this.source = source;
        this.churnMillis = churnMillis;
        this.churning = churnMillis > 0;
        loop = new Thread(this::run, name);
        loop.setDaemon(true);
    }

    static Subscriber ws(ArgusNode node, String source, long churnMillis) {
        return new Ws(node, source, churnMillis).begin();
    }

    static Subscriber sse(ArgusNode node, String source, long churnMillis) {
        return new Sse(node, source, churnMillis).begin();
    }

    final Subscriber begin() {
        loop.start();
        return this;
    }

    /** Stops dropping the connection on purpose (the rest of the test watches one live connection). */
    void stopChurning() {
        churning = false;
    }

    /** One connection: subscribes after {@code afterId}, returns when it ends. */
    protected abstract void connectOnce(long afterId) throws Exception;

    protected abstract void abort();

    private void run() {
        long backoff = 50;
        while (!closed) {
            try {
                phase = "connecting after " + lastId();
                connectOnce(lastId());
                phase = "ended";
                backoff = 50;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                phase = "failed: " + e;   // the node is down or went away: back off and resume
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 1000);
        }
    }

    /** A connection subscribed: schedules its drop when churning. */
    protected final void connected() {
        synchronized (this) {
            connections++;
        }
        phase = "subscribed";
        if (churning) {
            long after = churnMillis / 2 + ThreadLocalRandom.current().nextLong(churnMillis);
            CompletableFuture.delayedExecutor(after, TimeUnit.MILLISECONDS).execute(() -> {
                if (churning) {
                    abort();
                }
            });
        }
    }

    protected final synchronized void received(long id) {
        ids.add(id);
    }

    protected final synchronized void notice(String text) {
        notices.add(text);
    }

    final synchronized long lastId() {
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    final synchronized List<Long> ids() {
        return List.copyOf(ids);
    }

    final synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    final synchronized int connections() {
        return connections;
    }

    final boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        churning = false;
        abort();
        loop.interrupt();
        loop.join(10_000);
    }

    @Override
    public String toString() {
        return loop.getName();
    }

    private static final class Ws extends Subscriber {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ArgusNode node;
        private volatile WebSocket socket;
        private volatile CompletableFuture<Void> ending;

        Ws(ArgusNode node, String source, long churnMillis) {
            super("ws@" + node.name(), source, churnMillis);
            this.node = node;
        }

        @Override
        protected void connectOnce(long afterId) throws Exception {
            CompletableFuture<Void> ended = new CompletableFuture<>();
            ending = ended;
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(node.wsUrl()), new Listener(afterId, ended)).get(15, TimeUnit.SECONDS);
            socket = ws;
            ws.sendText("{\"type\":\"auth\",\"api_key\":\"" + ArgusNode.API_KEY + "\"}", true);
            try {
                // A connection that is not subscribed within 30 s is given up (and reported in the notices).
                try {
                    ended.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (phase.startsWith("connecting")) {
                        notice("no subscribe_result within 30 s (" + phase + ")");
                        return;
                    }
                    ended.get();
                }
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
            // The JDK calls neither onClose nor onError after abort(): end the wait here.
            CompletableFuture<Void> e = ending;
            if (e != null) {
                e.complete(null);
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
                        handle(ws, ArgusNode.JSON.readTree(frame));
                    } catch (Exception e) {
                        notice("unreadable frame: " + frame);
                    }
                }
                ws.request(1);
                return null;
            }

            private void handle(WebSocket ws, JsonNode msg) {
                switch (msg.path("type").asText()) {
                    case "auth_result" -> {
                        phase = "connecting: auth answered";
                        ObjectNode sub = ArgusNode.JSON.createObjectNode().put("type", "subscribe");
                        sub.putObject("filters").put("source", source);
                        sub.put("after_id", afterId);
                        ws.sendText(sub.toString(), true);
                    }
                    case "subscribe_result" -> connected();
                    case "event" -> received(msg.get("event").get("id").asLong());
                    case "pong" -> { }
                    default -> {
                        notice(msg.toString());
                        ws.abort();
                        ended.complete(null);
                    }
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

    private static final class Sse extends Subscriber {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ArgusNode node;
        private volatile Stream<String> body;

        Sse(ArgusNode node, String source, long churnMillis) {
            super("sse@" + node.name(), source, churnMillis);
            this.node = node;
        }

        @Override
        protected void connectOnce(long afterId) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/events/stream?source="
                            + URLEncoder.encode(source, StandardCharsets.UTF_8)))
                    .header("X-API-Key", ArgusNode.API_KEY).header("Accept", "text/event-stream")
                    .header("Last-Event-ID", Long.toString(afterId)).GET().build();
            HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = r.body()) {
                if (r.statusCode() != 200) {
                    return;
                }
                body = lines;
                connected();
                String event = null;
                StringBuilder data = new StringBuilder();
                Iterator<String> it = lines.iterator();
                while (it.hasNext() && !isClosed()) {
                    String line = it.next();
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            if ("event".equals(event)) {
                                received(ArgusNode.JSON.readTree(data.toString()).get("id").asLong());
                            } else {
                                notice(event + ": " + data);
                                return;   // lagged / replay_truncated: resume after the last id
                            }
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                }
            } finally {
                body = null;
            }
        }

        @Override
        protected void abort() {
            Stream<String> b = body;
            if (b != null) {
                b.close();
            }
        }
    }
}
