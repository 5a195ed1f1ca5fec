package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Under concurrent load commits hold many events, and no answer precedes the commit holding it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class GroupCommitIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    @Test
    void concurrentPostsShareCommitsAndAreVisibleWhenAnswered() throws Exception {
        TestServer server = TestServer.of(APP);
        int threads = 32;
        int perThread = 60;
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    HttpResponse<String> r = server.postEvent(
                            "{\"source\":\"gc\",\"event_type\":\"t\",\"message\":\"" + thread + "-" + i + "\"}");
                    if (r.statusCode() != 201) {
                        problems.add("POST answered " + r.statusCode());
                        continue;
                    }
                    long id = TestServer.json(r.body()).get("event_id").asLong();
                    // A read on another connection sees only committed data: the event must be there now.
                    HttpResponse<String> g = server.get("/events/" + id);
                    if (g.statusCode() != 200) {
                        problems.add("event " + id + " answered 201 but is not readable: " + g.statusCode());
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(problems).isEmpty();
        assertThat(server.getJson("/events?source=gc&limit=1000").get("events").size()).isEqualTo(1000);

        JsonNode metrics = TestServer.json(server.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.adminUrl() + "/metrics")).GET().build()).body());
        JsonNode commits = metrics.get("histograms").get("argus.ingest.commit-events");
        long commitCount = commits.get("count").asLong();
        assertThat(commitCount).isPositive();
        double eventsPerCommit = (double) (threads * perThread) / commitCount;
        assertThat(eventsPerCommit).as("events per commit (%d commits)", commitCount).isGreaterThan(1.0);
        assertThat(commits.get("max").asLong()).isGreaterThan(1);
    }
}
