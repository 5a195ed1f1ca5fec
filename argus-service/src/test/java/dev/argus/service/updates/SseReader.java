package dev.argus.service.updates;

import dev.argus.service.TestServer;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real client of {@code GET /api/stream}: frames parsed as a browser's EventSource would. */
public final class SseReader implements AutoCloseable {
    /** One dispatched block; comment-only blocks have {@code comment} set. */
    public record Frame(String id, String event, String data, String comment) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            return TestServer.json(data);
        }
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url + pathAndQuery}; returns once the headers arrived. */
    public static SseReader open(String url, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new SseReader(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS));
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
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
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (Exception ignored) {
            // closed
        } finally {
            ended = true;
        }
    }

    /** The next frame that is not a comment, waiting up to {@code seconds}; fails when none comes. */
    public Frame next(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Frame f = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + seconds + " s");
            }
            if (f.data() != null) {
                return f;
            }
        }
    }

    /** Frames (skipping comments) until one matches, collecting every frame on the way. */
    public List<Frame> until(Predicate<Frame> stop, int seconds) throws InterruptedException {
        List<Frame> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + seconds + " s; saw " + seen.size() + ": "
                        + seen.subList(Math.max(0, seen.size() - 3), seen.size()));
            }
            Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null || f.data() == null) {
                continue;
            }
            seen.add(f);
            if (stop.test(f)) {
                return seen;
            }
        }
    }

    /** Frames already received (comments skipped) after waiting {@code millis} for more. */
    public List<Frame> drain(long millis) throws InterruptedException {
        List<Frame> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            Frame f = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (f == null) {
                return out;
            }
            if (f.data() != null) {
                out.add(f);
            }
        }
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (Exception ignored) {
            // gone
        }
        reader.interrupt();
    }
}
