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
 * kill -9 of one of two instances under 32-way load (SPEC §15): every acknowledged event is
 * stored once (requests not acknowledged are sent again, same uuids, to the other instance), the
 * survivor's subscribers see every event once in id order without a gap, and the killed instance
 * comes back and its subscribers, resuming with {@code after_id}, catch up.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterKillIT {
    @TempDir
    Path dir;

    @Test
    void killNineOfOneInstanceUnderLoadLosesNothingAndTheSurvivorsStreamsHaveNoGap() throws Exception {
        String db = PostgresServer.get().freshDatabase();
        String source = "cluster-kill";
        try (ArgusNode a = ArgusNode.start("a", dir, db, null);
             ArgusNode b = ArgusNode.start("b", dir, db, null)) {
            List<Subscriber> survivor = List.of(Subscriber.ws(b, source, 0), Subscriber.sse(b, source, 0));
            List<Subscriber> victim = List.of(Subscriber.ws(a, source, 0), Subscriber.sse(a, source, 0));
            try {
                Poll.until(Duration.ofSeconds(60), () -> survivor.stream().allMatch(s -> s.connections() > 0)
                        && victim.stream().allMatch(s -> s.connections() > 0), "subscribers");
                try (Load load = new Load(source, 32, 2, i -> i == 0 ? a : b, Duration.ofSeconds(60)).start()) {
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= 3_000, "load on both");
                    a.kill9();
                    int atKill = load.acknowledgedCount();
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= atKill + 3_000,
                            "load on the survivor");
                    a.restart();
                    int atRestart = load.acknowledgedCount();
                    Poll.until(Duration.ofSeconds(240), () -> load.acknowledgedCount() >= atRestart + 3_000,
                            "load on both again");
                    load.close();
                    assertThat(load.connectionFailures.get()).as("requests cut by the kill").isPositive();
                    assertThat(load.unexpected).as("answers other than 2xx/503").isEmpty();

                    List<Long> stored = ClusterChecks.everyAcknowledgedEventStoredOnce(b, load);
                    for (Subscriber s : survivor) {
                        ClusterChecks.sawExactly(s.toString(), s::ids, stored, ClusterChecks.context(s, a, b));
                        assertThat(s.connections()).as(s + " never had to reconnect").isEqualTo(1);
                    }
                    for (Subscriber s : victim) {
                        ClusterChecks.sawExactly(s.toString(), s::ids, stored, ClusterChecks.context(s, a, b));
                        assertThat(s.connections()).as(s + " resumed on the restarted instance").isGreaterThan(1);
                    }
                }
            } finally {
                for (Subscriber s : survivor) {
                    s.close();
                }
                for (Subscriber s : victim) {
                    s.close();
                }
            }
        }
    }
}
