package dev.argus.service.cluster;

import dev.argus.service.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL database, built to break "resume after N never misses a later
 * commit" and the cross-instance streams (SPEC §15): 24 concurrent writers split across both
 * instances; on each instance a WebSocket and an SSE subscriber that keep dropping their
 * connection and resuming with {@code after_id} (so the replay→live hand-over runs constantly
 * under concurrent commits of both instances), and a client paging {@code GET /events?after_id=N}.
 * Every one of them must see every stored event exactly once, in id order, and every
 * acknowledged event must be stored once.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterStreamsIT {
    @TempDir
    Path dir;

    @Test
    void everyInstancesEventsReachEveryInstancesSubscribersOnceInIdOrder() throws Exception {
        String db = PostgresServer.get().freshDatabase();
        String source = "cluster-order";
        try (ArgusNode a = ArgusNode.start("a", dir, db, null);
             ArgusNode b = ArgusNode.start("b", dir, db, null)) {
            List<Subscriber> subs = List.of(Subscriber.ws(a, source, 600), Subscriber.sse(a, source, 600),
                    Subscriber.ws(b, source, 600), Subscriber.sse(b, source, 600));
            List<Pager> pagers = List.of(new Pager(a, source), new Pager(b, source));
            try {
                Poll.until(Duration.ofSeconds(60), () -> subs.stream().allMatch(s -> s.connections() > 0));
                try (Load load = new Load(source, 24, 2, i -> i == 0 ? a : b, Duration.ofSeconds(60)).start()) {
                    long t0 = System.nanoTime();
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= 4_000
                            && System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(10));
                    // Then one live connection each while both instances still commit: the events of
                    // the other instance must reach it live, not only through a resume's replay.
                    subs.forEach(Subscriber::stopChurning);
                    int churned = load.acknowledgedCount();
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= churned + 1_500);
                    load.close();
                    // Last, one event on each instance alone: each must reach the other instance's
                    // live subscribers with no later local commit there to carry it.
                    for (ArgusNode n : List.of(a, b)) {
                        assertThat(n.post("/events", "{\"source\":\"" + source + "\",\"event_type\":\"last\",\"uuid\":\""
                                + java.util.UUID.randomUUID() + "\"}", Duration.ofSeconds(60)).statusCode()).isEqualTo(201);
                    }
                    assertThat(load.unexpected).as("answers other than 2xx/503").isEmpty();

                    List<Long> stored = ClusterChecks.everyAcknowledgedEventStoredOnce(a, load);
                    assertThat(b.allEvents("source=" + source).stream().map(e -> e.get("id").asLong()).toList())
                            .as("both instances read the same store").isEqualTo(stored);
                    for (Subscriber s : subs) {
                        ClusterChecks.sawExactly(s.toString(), s::ids, stored, ClusterChecks.context(s, a, b));
                        assertThat(s.connections()).as(s + " resumed many times under load; notices " + s.notices())
                                .isGreaterThan(3);
                    }
                    for (Pager p : pagers) {
                        ClusterChecks.sawExactly(p.toString(), p::ids, stored);
                    }
                }
            } finally {
                for (Subscriber s : subs) {
                    s.close();
                }
                for (Pager p : pagers) {
                    p.close();
                }
            }
        }
    }
}
