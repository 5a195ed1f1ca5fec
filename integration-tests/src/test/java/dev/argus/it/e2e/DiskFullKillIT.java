package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL while the store is full and clients keep sending, then a restart with space: every
 * event answered 201 is there, nothing of a request answered 503 is. The store is made full with
 * {@code database.maxPageCount} (set by {@code -Ddw.database.maxPageCount}); the restart runs
 * without it on the same database file.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DiskFullKillIT {
    static final String SOURCE = "drill-disk-full";
    /** About 1.2 MB: a fresh database has a few dozen pages. */
    static final int PAGE_CAP = 300;

    @TempDir
    Path dir;

    @Test
    void killNineWhileFullKeepsEveryAcknowledgedEventAndNothingRefused() throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (ArgusServer full = ArgusServer.builder(serverDir).jvmArg("-Ddw.database.maxPageCount=" + PAGE_CAP)
                .yaml("retention:\n  minFreeDiskMb: 0\n").start()) {
            int clients = 4;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    for (int i = 0; !killed.get() && i < 5000; i++) {
                        int n = (i + client) % 2 == 0 ? 1 : 10;
                        List<String> uuids = new ArrayList<>();
                        StringBuilder body = new StringBuilder("[");
                        for (int k = 0; k < n; k++) {
                            String u = UUID.randomUUID().toString();
                            uuids.add(u);
                            body.append(k == 0 ? "" : ",").append("{\"source\":\"").append(SOURCE)
                                    .append("\",\"event_type\":\"fill\",\"uuid\":\"").append(u)
                                    .append("\",\"message\":\"").append("x".repeat(900)).append("\"}");
                        }
                        HttpResponse<String> r;
                        try {
                            r = full.post("/events/batch", body.append(']').toString());
                        } catch (UncheckedIOException | IllegalStateException e) {
                            if (killed.get()) {
                                return null;   // in flight at the kill: its outcome is unknown, so it counts for neither side
                            }
                            throw e;
                        }
                        if (r.statusCode() == 201) {
                            acknowledged.addAll(uuids);
                        } else if (r.statusCode() == 503) {
                            refused.addAll(uuids);
                            refusals.add(r.body());
                        } else {
                            unexpected.add(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            // Full, and clients still sending: then SIGKILL.
            Poll.until(java.time.Duration.ofSeconds(240), refusals::size, n -> n >= 40);
            assertThat(refusals).as("the store filled up").hasSizeGreaterThanOrEqualTo(40);
            killed.set(true);
            full.kill9();
            for (Future<?> f : runs) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(unexpected).isEmpty();
        assertThat(acknowledged).isNotEmpty();
        assertThat(refusals).allSatisfy(body -> assertThat(ArgusServer.readJson(body).get("message").asText())
                .startsWith("storage full: the database reached database.maxPageCount = " + PAGE_CAP)
                .endsWith("nothing of this request was stored"));

        try (ArgusServer roomy = ArgusServer.builder(serverDir).yaml("retention:\n  minFreeDiskMb: 0\n").start()) {
            Set<String> stored = new HashSet<>();
            for (JsonNode e : roomy.allEvents("source=" + SOURCE)) {
                assertThat(stored.add(e.get("uuid").asText())).as("uuid stored once").isTrue();
            }
            assertThat(stored).as("every acknowledged event survived the kill").containsAll(acknowledged);
            assertThat(stored).as("nothing of a refused request is stored").doesNotContainAnyElementsOf(refused);
            // with space again, ingest works on the same file
            assertThat(roomy.postEvent("{\"source\":\"" + SOURCE + "\",\"event_type\":\"after\"}")).isPositive();
        }
    }
}
