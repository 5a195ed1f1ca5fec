package dev.argus.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import dev.argus.service.testing.PostgresServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and tasks stay consistent when their events arrive through different instances at
 * once (SPEC §15): every writing transaction holds the cluster-wide writer lock, so the derived
 * rows (session counters, task state) are read and changed by one transaction at a time. Two
 * instances in this JVM share one PostgreSQL database; eight threads post one session's tool
 * events alternately to both.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClusterSessionsIT {
    private static final String DATABASE = PostgresServer.get().freshDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> A = instance();
    @RegisterExtension
    static final DropwizardAppExtension<ArgusConfiguration> B = instance();

    private static DropwizardAppExtension<ArgusConfiguration> instance() {
        return TestServer.sharingPostgres("test-server.yml", DATABASE);
    }

    @Test
    void oneSessionsEventsThroughTwoInstancesAtOnceAreAllCounted() throws Exception {
        TestServer a = TestServer.of(A);
        TestServer b = TestServer.of(B);
        String session = "cluster-" + UUID.randomUUID();
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < perThread; i++) {
                    TestServer via = (thread + i) % 2 == 0 ? a : b;
                    String event = "{\"source\":\"claude-code\",\"event_type\":\"tool_use\",\"hook\":\"PreToolUse\","
                            + "\"tool_name\":\"Read\",\"tool_use_id\":\"t" + thread + "-" + i + "\",\"session_id\":\""
                            + session + "\",\"status\":\"pending\",\"data\":{\"cwd\":\"/home/me/proj-c\"}}";
                    HttpResponse<String> r = via.postEvent(event);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    ok++;
                }
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : done) {
            total += f.get(240, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(total).isEqualTo(threads * perThread);
        for (TestServer via : List.of(a, b)) {
            JsonNode s = via.getJson("/sessions/" + session);
            assertThat(s.get("event_count").asLong()).as("event_count via %s", via.url()).isEqualTo(total);
            assertThat(s.get("tool_count").asLong()).as("tool_count via %s", via.url()).isEqualTo(total);
            assertThat(s.get("project").asText()).isEqualTo("proj-c");
        }
    }
}
