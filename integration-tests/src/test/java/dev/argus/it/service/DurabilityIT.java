package dev.argus.it.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 in the middle of concurrent POSTs, then a restart on the same file: every event answered
 * 2xx is there (with its id), and nothing answered 4xx/5xx is.
 */
class DurabilityIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesKillNine() throws Exception {
        try (ArgusServer server = ArgusServer.start(dir)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Map<String, Long> acked = new ConcurrentHashMap<>();
            Set<String> refused = ConcurrentHashMap.newKeySet();
            Set<String> unanswered = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        String uuid = UUID.randomUUID().toString();
                        boolean invalid = (i++ % 10) == 9;
                        String body = "{\"source\":\"durability\",\"event_type\":\"t" + thread + "\",\"uuid\":\"" + uuid + "\""
                                + (invalid ? ",\"level\":\"bogus\"" : "") + "}";
                        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                                .header("X-API-Key", server.apiKey()).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        try {
                            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acked.put(uuid, ArgusServer.readJson(r.body()).get("event_id").asLong());
                            } else {
                                refused.add(uuid);
                            }
                        } catch (Exception e) {
                            unanswered.add(uuid);
                            return;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (acked.size() < 1500 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            server.kill9();
            stop.set(true);
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            assertThat(acked.size()).as("events acknowledged before the kill").isGreaterThan(100);
            assertThat(refused).as("invalid events were answered 422").isNotEmpty();

            server.restart();
            Map<String, Long> stored = new HashMap<>();
            for (JsonNode e : server.allEvents("source=durability")) {
                stored.put(e.get("uuid").asText(), e.get("id").asLong());
            }
            for (Map.Entry<String, Long> a : acked.entrySet()) {
                assertThat(stored.get(a.getKey())).as("acknowledged event %s", a.getKey()).isEqualTo(a.getValue());
            }
            for (String uuid : stored.keySet()) {
                assertThat(acked.containsKey(uuid) || unanswered.contains(uuid))
                        .as("stored event %s was acknowledged or in flight at the kill", uuid).isTrue();
            }
            for (String uuid : refused) {
                assertThat(stored).as("refused event %s", uuid).doesNotContainKey(uuid);
            }
            // The restarted server continues the id sequence: nothing acknowledged is ever reused.
            long next = server.postEvent("{\"source\":\"durability\",\"event_type\":\"after\"}");
            assertThat(next).isGreaterThan(acked.values().stream().mapToLong(Long::longValue).max().orElse(0));
        }
    }
}
