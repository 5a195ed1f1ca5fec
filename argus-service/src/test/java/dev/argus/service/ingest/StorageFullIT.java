package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.storage.sqlite.SqliteStorage;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that is full (SQLite's {@code max_page_count} on the writer, as {@code database.maxPageCount}
 * sets it), filled by several clients at once with single events and batches: every 201 is stored
 * with its id and message, nothing of a 503 is stored, the 503 says "storage full" in words, health
 * turns unhealthy; raising the cap lets ingest resume without a restart and health follows.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StorageFullIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension(
            ConfigOverride.config("retention.minFreeDiskMb", "0"));

    @Test
    void atTheCapEvery201IsStoredNothingOfA503IsAndIngestResumesWhenTheCapIsRaised() throws Exception {
        TestServer server = TestServer.of(APP);
        IngestEngine engine = StorageChecks.engine(APP);
        SqliteStorage database = ((dev.argus.service.storage.sqlite.SqliteEventWriter) engine.writer()).storage();
        long cap = StorageChecks.pageCount(engine) + 200;
        database.setMaxPageCount(cap);
        try {
            StorageChecks.Outcomes out = new StorageChecks.Outcomes();
            int clients = 4;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Integer>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    int refusedInARow = 0;
                    int requests = 0;
                    while (refusedInARow < 8 && requests < 2000) {
                        int n = (requests + client) % 3 == 0 ? 0 : 20;
                        int status = out.post(server, "full", n, 900);
                        refusedInARow = status == 503 ? refusedInARow + 1 : 0;
                        requests++;
                    }
                    return requests;
                }));
            }
            for (Future<Integer> r : runs) {
                assertThat(r.get(240, TimeUnit.SECONDS)).isLessThan(2000);
            }
            pool.shutdown();

            assertThat(out.unexpected).isEmpty();
            assertThat(out.acknowledged).isNotEmpty();
            assertThat(out.refused).isNotEmpty();
            Map<String, String[]> stored = StorageChecks.stored(engine, out.acknowledged.keySet());
            assertThat(stored).as("every acknowledged event is stored").hasSize(out.acknowledged.size());
            out.acknowledged.forEach((uuid, id) -> {
                assertThat(stored.get(uuid)[0]).as("id of %s", uuid).isEqualTo(Long.toString(id));
                assertThat(stored.get(uuid)[1]).as("message of %s", uuid).isEqualTo(out.messageOf.get(uuid));
            });
            assertThat(StorageChecks.stored(engine, out.refused)).as("nothing of a refused request is stored").isEmpty();
            assertThat(out.refusals).allSatisfy(body -> {
                JsonNode json = TestServer.json(body);
                assertThat(json.get("code").asInt()).isEqualTo(503);
                assertThat(json.get("message").asText())
                        .startsWith("storage full: the database reached database.maxPageCount = " + cap + " pages")
                        .endsWith("; nothing of this request was stored")
                        .doesNotContain("uuid").doesNotContain("SQLITE");
            });
            JsonNode health = StorageChecks.databaseHealth(server);
            assertThat(health.get("healthy").asBoolean()).as(health.toString()).isFalse();
            assertThat(health.get("message").asText()).contains("the last ingest commit failed").contains("storage full");

            database.setMaxPageCount(0);
            StorageChecks.Outcomes after = new StorageChecks.Outcomes();
            assertThat(after.post(server, "full", 0, 900)).isEqualTo(201);
            assertThat(after.post(server, "full", 20, 900)).isEqualTo(201);
            assertThat(StorageChecks.stored(engine, after.acknowledged.keySet())).hasSize(21);
            health = StorageChecks.databaseHealth(server);
            assertThat(health.get("healthy").asBoolean()).as(health.toString()).isTrue();
        } finally {
            database.setMaxPageCount(0);
        }
    }
}
