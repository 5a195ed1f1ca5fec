package dev.argus.service.streams;

import com.codahale.metrics.Meter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.ArgusApplication;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A whole Argus app on loopback port 0 with its own SQLite file (or PostgreSQL database, see TestServer.onPostgres), plus what the stream tests need around it. */
final class StreamsApp {
    static final String KEY = "test-key";
    static final String INGEST_ONLY_KEY = "ingest-only-key";
    static final ObjectMapper JSON = new ObjectMapper();

    private final DropwizardAppExtension<ArgusConfiguration> app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    StreamsApp(DropwizardAppExtension<ArgusConfiguration> app) {
        this.app = app;
    }

    static DropwizardAppExtension<ArgusConfiguration> extension(ConfigOverride... extra) {
        if (dev.argus.service.TestServer.onPostgres()) {
            return new DropwizardAppExtension<>(ArgusApplication.class,
                    ResourceHelpers.resourceFilePath("streams-test.yml"), dev.argus.service.TestServer.withPostgres(extra));
        }
        Path db;
        try {
            db = Files.createTempDirectory("argus-streams").resolve("events.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db.toFile().getParentFile().deleteOnExit();
        ConfigOverride[] overrides = new ConfigOverride[extra.length + 1];
        overrides[0] = ConfigOverride.config("database.path", db.toString());
        System.arraycopy(extra, 0, overrides, 1, extra.length);
        return new DropwizardAppExtension<>(ArgusApplication.class,
                ResourceHelpers.resourceFilePath("streams-test.yml"), overrides);
    }

    int port() {
        return app.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    HttpClient http() {
        return http;
    }

    long meterCount(String name) {
        Meter m = app.getEnvironment().metrics().getMeters().get(name);
        return m == null ? 0 : m.getCount();
    }

    int gauge(String name) {
        Object v = app.getEnvironment().metrics().getGauges().get(name).getValue();
        return ((Number) v).intValue();
    }

    /** Posts events as one batch and returns their ids in order. */
    List<Long> postBatch(List<String> events) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/events/batch"))
                .header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", events) + "]")).build());
        if (r.statusCode() != 201) {
            throw new AssertionError("POST /events/batch → " + r.statusCode() + " " + r.body());
        }
        List<Long> ids = new ArrayList<>(events.size());
        for (JsonNode id : json(r.body()).get("event_ids")) {
            ids.add(id.asLong());
        }
        return ids;
    }

    long postOne(String event) {
        return postBatch(List.of(event)).get(0);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).header("X-API-Key", KEY).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String event(String source, String message) {
        return "{\"source\":\"" + source + "\",\"event_type\":\"test\",\"message\":\"" + message + "\"}";
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + s, e);
        }
    }

    /** Polls until {@code condition} holds or fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
