package dev.argus.service.streams;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP client reading {@code text/event-stream}, parsed into frames as a browser would. */
final class SseTestClient implements AutoCloseable {
    /** One dispatched block: comment-only blocks have {@code comment} set and no data. */
    record Frame(String id, String event, String data, String comment) {
    }

    static final Frame END = new Frame(null, null, null, null);

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; returns once the response headers arrived (fails after 10 s). */
    static SseTestClient open(StreamsApp app, String query, String... headers) {
        return openPath(app, "/events/stream" + query, headers);
    }

    /** The same on another SSE route ({@code /api/stream}). */
    static SseTestClient openPath(StreamsApp app, String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url() + pathAndQuery)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        CompletableFuture<HttpResponse<InputStream>> f = app.http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            return new SseTestClient(f.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("no response headers within 10 s", e);
        }
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String comment = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || comment != null) {
                        frames.add(new Frame(id, event, data == null ? null : data.toString(), comment));
                    }
                    id = null;
                    event = null;
                    data = null;
                    comment = null;
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).strip();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> {
                            if (data == null) {
                                data = new StringBuilder(value);
                            } else {
                                data.append('\n').append(value);
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            // stream closed
        }
        frames.add(END);
    }

    /** The next frame (comments included); {@link #END} when the stream ended. Fails after 30 s. */
    Frame next() {
        return next(Duration.ofSeconds(30));
    }

    Frame next(Duration timeout) {
        try {
            Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no SSE frame within " + timeout);
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The next frame that is not a comment; fails after 30 s in all (keep-alive comments every 15 s
     * must not extend the wait for ever).
     */
    Frame nextEventFrame() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no SSE event frame within 30 s (only comments)");
            }
            Frame f = next(Duration.ofNanos(left));
            if (f.comment() == null || f == END) {
                return f;
            }
        }
    }

    Frame poll(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
