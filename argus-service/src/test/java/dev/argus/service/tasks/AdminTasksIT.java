package dev.argus.service.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin port's retention and vacuum tasks, health check and metrics, over HTTP on a whole app. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminTasksIT {
    private static final int OLD = 5_000;
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extensionOn(databaseWithOldEvents(),
            ConfigOverride.config("retention.days", "7"),
            // Cleaned up just now (see argus_meta below) and next due in 12 hours: only the task deletes.
            ConfigOverride.config("retention.cleanupTime", java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusHours(12)
                    .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm"))),
            ConfigOverride.config("retention.minFreeDiskMb", "0"));

    private final TestServer server = TestServer.of(APP);

    private HttpResponse<String> admin(String method, String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.adminUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A database file holding {@value #OLD} events received 10 days ago, made before the server starts (it holds the write lock). */
    private static String databaseWithOldEvents() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempDirectory("argus-admin").resolve("events.db");
            dev.argus.service.config.DatabaseConfig cfg = new dev.argus.service.config.DatabaseConfig();
            cfg.setPath(file.toString());
            new dev.argus.service.storage.sqlite.SqliteStorage(cfg).migrate();
            long micros = Instant.now().minus(Duration.ofDays(10)).getEpochSecond() * 1_000_000L;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO events (source, event_type, ts, received_at, data)"
                        + " VALUES ('old', 'build', ?, ?, ?)")) {
                    for (int i = 0; i < OLD; i++) {
                        s.setLong(1, micros);
                        s.setLong(2, micros);
                        s.setString(3, "{\"pad\":\"" + "x".repeat(500) + "\"}");
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.createStatement().execute("INSERT INTO event_types VALUES ('old', 'build')");
                c.createStatement().execute("INSERT INTO argus_meta VALUES ('retention_last_success', '"
                        + System.currentTimeMillis() + "')");
                c.commit();
            }
            return file.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void retentionTaskDeletesExpiredEventsAndVacuumTaskReclaimsPages() throws Exception {
        long kept = server.postEvent("{\"source\":\"new\",\"event_type\":\"build\"}").statusCode();
        assertThat(kept).isEqualTo(201);

        HttpResponse<String> r = admin("POST", "/tasks/retention");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).containsPattern("deleted 5000 events received before \\S+ in \\d+ ms");
        assertThat(r.body()).contains("pruned 1 event types");
        assertThat(r.body()).containsPattern("vacuum reclaimed [1-9]\\d* pages");
        assertThat(server.count()).isEqualTo(1);
        assertThat(server.getJson("/sources").get("sources").toString()).isEqualTo("[\"new\"]");

        HttpResponse<String> again = admin("POST", "/tasks/retention");
        assertThat(again.body()).contains("deleted 0 events");

        HttpResponse<String> v = admin("POST", "/tasks/vacuum");
        assertThat(v.statusCode()).isEqualTo(200);
        assertThat(v.body()).containsPattern("vacuum reclaimed \\d+ pages \\(\\d+ bytes\\); database file \\d+ -> \\d+ bytes");
        assertThat(v.body()).containsPattern("took \\d+ ms");

        JsonNode health = TestServer.json(admin("GET", "/healthcheck").body());
        assertThat(health.path("retention").path("healthy").asBoolean()).isTrue();
        assertThat(health.path("retention").path("message").asText()).startsWith("last cleanup ");

        JsonNode metrics = TestServer.json(admin("GET", "/metrics").body());
        assertThat(metrics.path("meters").path("argus.retention.deleted-events").path("count").asLong()).isEqualTo(5_000);
        assertThat(metrics.path("gauges").path("argus.retention.last-cleanup-millis").path("value").asLong())
                .isGreaterThanOrEqualTo(0);
        assertThat(metrics.path("timers").has("argus.retention.chunk-time")).isTrue();
        assertThat(metrics.path("timers").has("argus.ingest.commit-time")).isTrue();
    }

    @Test
    void tasksAnswerOnlyPost() {
        assertThat(admin("GET", "/tasks/retention").statusCode()).isEqualTo(405);
    }
}
