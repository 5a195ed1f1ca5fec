package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the {@code /api} routes of a test server, with or without a key. */
public final class WorkClient {
    private final String url;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param key sent as {@code X-API-Key}; null sends none */
    public WorkClient(String url, String key) {
        this.url = url;
        this.key = key;
    }

    public record Answer(int status, String body) {
        public JsonNode json() {
            return TestServer.json(body);
        }
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer post(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    public Answer patch(String path, String json) {
        return send("PATCH", path, "application/json", json);
    }

    public Answer send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of a successful answer with the expected status. */
    public JsonNode expect(int status, Answer a) {
        if (a.status() != status) {
            throw new AssertionError("expected " + status + ", got " + a.status() + " " + a.body());
        }
        return a.json();
    }
}
