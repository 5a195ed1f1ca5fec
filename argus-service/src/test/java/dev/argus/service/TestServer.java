package dev.argus.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** A whole Argus app on port 0 with its own database (SQLite file, or PostgreSQL database), and a small HTTP client for it. */
public final class TestServer {
    public static final String KEY = "test-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DropwizardAppExtension<ArgusConfiguration> app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(DropwizardAppExtension<ArgusConfiguration> app) {
        this.app = app;
    }

    /** Whether HTTP tests run on PostgreSQL ({@code -Dargus.test.database=postgres}) instead of SQLite. */
    public static boolean onPostgres() {
        return "postgres".equalsIgnoreCase(System.getProperty("argus.test.database", ""));
    }

    /**
     * An extension for {@code @RegisterExtension static}, with a fresh database: a new SQLite file,
     * or with {@code -Dargus.test.database=postgres} a new database on the test JVM's PostgreSQL
     * server ({@link dev.argus.service.testing.PostgresServer}).
     */
    public static DropwizardAppExtension<ArgusConfiguration> extension(ConfigOverride... extra) {
        if (onPostgres()) {
            return new DropwizardAppExtension<>(ArgusApplication.class,
                    ResourceHelpers.resourceFilePath("test-server.yml"), withPostgres(extra));
        }
        Path db;
        try {
            db = Files.createTempDirectory("argus-test").resolve("events.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return extensionOn(db.toString(), extra);
    }

    /** {@code extra} after the overrides that point the app at a fresh PostgreSQL database. */
    public static ConfigOverride[] withPostgres(ConfigOverride... extra) {
        return onPostgresDatabase(dev.argus.service.testing.PostgresServer.get().freshDatabase(), extra);
    }

    /**
     * An instance of several on one PostgreSQL database (SPEC §15): {@code configResource} (a test
     * resource, e.g. {@code test-server.yml}) pointed at {@code databaseUrl} of the test JVM's server.
     */
    public static DropwizardAppExtension<ArgusConfiguration> sharingPostgres(String configResource, String databaseUrl) {
        return new DropwizardAppExtension<>(ArgusApplication.class, ResourceHelpers.resourceFilePath(configResource),
                onPostgresDatabase(databaseUrl));
    }

    private static ConfigOverride[] onPostgresDatabase(String databaseUrl, ConfigOverride... extra) {
        var pg = dev.argus.service.testing.PostgresServer.get();
        ConfigOverride[] overrides = new ConfigOverride[extra.length + 3];
        overrides[0] = ConfigOverride.config("database.url", databaseUrl);
        overrides[1] = ConfigOverride.config("database.user", pg.user());
        overrides[2] = ConfigOverride.config("database.password", pg.password());
        System.arraycopy(extra, 0, overrides, 3, extra.length);
        return overrides;
    }

    /**
     * The same on an existing database file. (Never pass {@code database.path} as an override too:
     * the order in which two overrides of one key apply is not defined.)
     */
    public static DropwizardAppExtension<ArgusConfiguration> extensionOn(String databasePath, ConfigOverride... extra) {
        ConfigOverride[] overrides = new ConfigOverride[extra.length + 1];
        overrides[0] = ConfigOverride.config("database.path", databasePath);
        System.arraycopy(extra, 0, overrides, 1, extra.length);
        return new DropwizardAppExtension<>(ArgusApplication.class,
                ResourceHelpers.resourceFilePath("test-server.yml"), overrides);
    }

    public static TestServer of(DropwizardAppExtension<ArgusConfiguration> app) {
        return new TestServer(app);
    }

    public String url() {
        return "http://127.0.0.1:" + app.getLocalPort();
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + app.getAdminPort();
    }

    public HttpResponse<String> post(String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    public HttpResponse<String> postEvent(String json) {
        return post("/events", "application/json", json);
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).header("X-API-Key", KEY).GET().build());
    }

    public JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> r = get(pathAndQuery);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " → " + r.statusCode() + " " + r.body());
        }
        return json(r.body());
    }

    /** Number of stored events (by paging the API, so it counts what a client would see). */
    public long count() {
        long n = 0;
        long after = 0;
        while (true) {
            JsonNode events = getJson("/events?order=asc&limit=1000&after_id=" + after).get("events");
            n += events.size();
            if (events.size() < 1000) {
                return n;
            }
            after = events.get(events.size() - 1).get("id").asLong();
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + s, e);
        }
    }
}
