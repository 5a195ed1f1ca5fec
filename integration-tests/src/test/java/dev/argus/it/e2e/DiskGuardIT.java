package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The free-disk guard tripped ({@code retention.minFreeDiskMb} far above the free space), with the
 * sample tool logging. What the server documents (README, {@code retention.minFreeDiskMb}): the
 * health check turns unhealthy and the oldest events are deleted until the threshold is met — here
 * never, so every event goes. Ingest keeps answering, so the tool runs as usual; every event it
 * handed over is stored once until the guard deletes it, and the guard counts what it deleted.
 */
class DiskGuardIT {
    static final String SOURCE = "drill-disk-guard";
    static final int ITEMS = 5;
    /** jvm.start + jvm.stop, 6 method events, 7 Logback and 7 Log4j2 events for {@code --events 5}. */
    static final int EXPECTED_EVENTS = 2 + (ITEMS + 1) + (ITEMS + 2) + (ITEMS + 2);
    static final String GUARD_METER = "argus.retention.disk-guard-deleted-events";

    @TempDir
    static Path dir;
    static ArgusServer server;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServer() throws Exception {
        Jars.service();
        server = ArgusServer.builder(Files.createDirectories(dir.resolve("server")))
                .yaml("retention:\n  minFreeDiskMb: 100000000\n").start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void guardTurnsHealthUnhealthyKeepsIngestOpenAndDeletesTheOldestEvents() throws Exception {
        HttpResponse<String> health = admin("GET", "/healthcheck");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(500);
        JsonNode checks = ArgusServer.readJson(health.body());
        assertThat(checks.get("disk").get("healthy").asBoolean()).isFalse();
        assertThat(checks.get("disk").get("message").asText()).contains("below retention.minFreeDiskMb = 100000000 MB");
        assertThat(checks.get("database").get("healthy").asBoolean()).isTrue();

        // the guard's first pass runs a few seconds after start; from then on it is known to be below
        JsonNode metrics = Poll.until(Duration.ofSeconds(90), DiskGuardIT::metrics,
                m -> m.path("gauges").path("argus.retention.below-min-free-disk").path("value").asInt() == 1);
        assertThat(metrics.path("gauges").path("argus.retention.below-min-free-disk").path("value").asInt()).isEqualTo(1);
        long deletedBefore = guardDeleted();

        try (ChildProcess tool = SampleTool.against(server, SOURCE, dir.resolve("tool"))
                .start("--events", Integer.toString(ITEMS))) {
            assertThat(tool.awaitExit(Duration.ofSeconds(120))).as(tool.describe()).isZero();
            assertThat(tool.lines()).contains("done " + ITEMS);
        }

        // Every event is either still stored or was deleted by the guard's next periodic pass
        // (every minute): the two together are exactly what the tool sent.
        long[] storedAndDeleted = Poll.until(Duration.ofSeconds(90), DiskGuardIT::storedAndGuardDeleted,
                s -> s[0] + s[1] - deletedBefore >= EXPECTED_EVENTS);
        assertThat(storedAndDeleted[0] + storedAndDeleted[1] - deletedBefore).isEqualTo(EXPECTED_EVENTS);
        List<JsonNode> stored = server.allEvents("source=" + SOURCE);
        if (storedAndDeleted[1] == deletedBefore) {
            Drills.assertEachSeqExactlyOnce(stored, ITEMS);
        }

        HttpResponse<String> task = admin("POST", "/tasks/retention");
        assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
        assertThat(task.body()).contains("free-disk guard: deleted").contains("(still below retention.minFreeDiskMb)");

        assertThat(server.allEvents("source=" + SOURCE)).as("every event deleted by the guard").isEmpty();
        assertThat(guardDeleted() - deletedBefore).isEqualTo(EXPECTED_EVENTS);
        assertThat(admin("GET", "/healthcheck").statusCode()).as("still unhealthy").isEqualTo(500);
        assertThat(server.postEvent("{\"source\":\"" + SOURCE + "\",\"event_type\":\"after\"}"))
                .as("ingest still answers").isPositive();
    }

    /** Stored events of the tool and the guard's deletion count, read with no guard pass in between. */
    private static long[] storedAndGuardDeleted() {
        while (true) {
            long before = guardDeleted();
            long stored = server.allEvents("source=" + SOURCE).size();
            if (guardDeleted() == before) {
                return new long[] {stored, before};
            }
        }
    }

    private static long guardDeleted() {
        return metrics().path("meters").path(GUARD_METER).path("count").asLong(-1);
    }

    private static JsonNode metrics() {
        HttpResponse<String> r = admin("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return ArgusServer.readJson(r.body());
    }

    private static HttpResponse<String> admin(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.adminUrl() + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("admin " + method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
