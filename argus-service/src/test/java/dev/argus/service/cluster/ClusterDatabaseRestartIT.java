package dev.argus.service.cluster;

import dev.argus.service.testing.PostgresServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stops and starts again under load (SPEC §15): meanwhile requests are answered 503
 * within their bound (never a hang: no request of the load times out), every 2xx event is stored,
 * ingest resumes without restarting Argus, and live subscribers on both instances carry on (the
 * commit tail reconnects and catches up) with every event once, in id order.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterDatabaseRestartIT {
    /** Far above the service's own write time-out: a request taking this long hangs. */
    static final Duration REQUEST_BOUND = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    @Test
    void theDatabaseRestartingUnderLoadGives503sThenIngestResumesAndStreamsCarryOn() throws Exception {
        Assumptions.assumeTrue(System.getenv("ARGUS_TEST_POSTGRES_URL") == null, "needs a server the tests control");
        PostgresServer pg = PostgresServer.get();
        String db = pg.freshDatabase();
        String source = "cluster-db-restart";
        try (ArgusNode a = ArgusNode.start("a", dir, db, null);
             ArgusNode b = ArgusNode.start("b", dir, db, null)) {
            List<Subscriber> subs = List.of(Subscriber.sse(a, source, 0), Subscriber.ws(b, source, 0));
            try {
                Poll.until(Duration.ofSeconds(60), () -> subs.stream().allMatch(s -> s.connections() > 0), "subscribers");
                try (Load load = new Load(source, 8, 2, i -> i == 0 ? a : b, REQUEST_BOUND).start()) {
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= 1_000, "load");
                    pg.stop();
                    try {
                        Poll.until(Duration.ofSeconds(120), () -> load.answered503.get() >= 20, "503 answers");
                    } finally {
                        pg.start();
                    }
                    int atStart = load.acknowledgedCount();
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= atStart + 1_000,
                            "ingest resuming by itself");
                    load.close();
                    assertThat(load.connectionFailures.get()).as("requests that hung past " + REQUEST_BOUND
                            + " or were cut").isZero();
                    assertThat(load.unexpected).as("answers other than 2xx/503").isEmpty();

                    List<Long> stored = ClusterChecks.everyAcknowledgedEventStoredOnce(a, load);
                    for (Subscriber s : subs) {
                        ClusterChecks.sawExactly(s.toString(), s::ids, stored, ClusterChecks.context(s, a, b));
                    }
                }
            } finally {
                for (Subscriber s : subs) {
                    s.close();
                }
            }
        }
    }
}
