package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault drills with the sample tool in sync mode with a spool (agent attached): the server is
 * killed with SIGKILL while the tool logs, or is down when the tool starts. Whatever a log call
 * handed over must end up stored exactly once, checked by the tool's per-item {@code seq}; live
 * WebSocket and SSE subscribers must ride through the restart and see every event exactly once.
 */
class FaultDrillIT {
    @TempDir
    static Path dir;
    static ArgusServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Jars.service();
        server = ArgusServer.start(Files.createDirectories(dir.resolve("server")));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** The tool with a short breaker cooldown, so that it probes the restarted server within half a second. */
    private static SampleTool drillTool(String source) {
        return SampleTool.against(server, source, dir.resolve(source)).env("ARGUS_BREAKER_COOLDOWN_MS", "500");
    }

    @Test
    void killNineWhileLoggingLosesAndDuplicatesNothingAndLiveStreamsResumeWithoutGapOrRepeat() throws Exception {
        String source = "drill-kill9";
        int n = 40;
        try (WebSocketSubscriber ws = new WebSocketSubscriber(server.wsUrl(), server.apiKey(), source);
             SseSubscriber sse = new SseSubscriber(server.url(), server.apiKey(), source)) {
            ws.start();
            sse.start();
            Poll.until(Duration.ofSeconds(60), () -> ws.connections() + "/" + sse.connections(),
                    c -> ws.connections() >= 1 && sse.connections() >= 1);
            assertThat(ws.connections()).as("WebSocket subscribed").isEqualTo(1);
            assertThat(sse.connections()).as("SSE connected").isEqualTo(1);

            try (ChildProcess tool = drillTool(source)
                    .start("--events", Integer.toString(n), "--interval-ms", "100", "--spool-wait-ms", "180000")) {
                tool.awaitLine("seq 10"::equals, Duration.ofSeconds(120));
                Instant killed = Instant.now();
                server.kill9();
                server.restart();
                Instant restarted = Instant.now();

                assertThat(tool.awaitExit(Duration.ofSeconds(240))).as(tool.describe()).isZero();
                assertThat(tool.lines()).as(tool.describe()).contains("done " + n, "spool empty");

                List<JsonNode> events = Poll.events(server, source, e -> Drills.allSeqsPresent(e, n));
                Drills.assertEachSeqExactlyOnce(events, n);
                // the drill really covered the outage: events logged while the server was down were stored later
                for (String logger : List.of(SampleTool.LOGBACK_LOGGER, SampleTool.LOG4J2_LOGGER)) {
                    assertThat(Poll.byLogger(events, logger)).as("%s events logged during the outage", logger)
                            .anySatisfy(e -> assertThat(Instant.parse(e.get("timestamp").asText()))
                                    .isAfter(killed).isBefore(restarted));
                }

                // the tool has exited: the stored set is final, and both subscribers must end on exactly it
                List<Long> stored = Poll.ids(server.allEvents("source=" + source));
                List<Long> wsIds = Poll.until(Duration.ofSeconds(60), ws::ids, ids -> ids.size() >= stored.size());
                List<Long> sseIds = Poll.until(Duration.ofSeconds(60), sse::ids, ids -> ids.size() >= stored.size());
                assertThat(wsIds).as("WebSocket ids (notices %s)", ws.notices()).isEqualTo(stored);
                assertThat(sseIds).as("SSE ids (notices %s)", sse.notices()).isEqualTo(stored);
                assertThat(ws.connections()).as("WebSocket resubscribed after the restart").isGreaterThanOrEqualTo(2);
                assertThat(sse.connections()).as("SSE reconnected after the restart").isGreaterThanOrEqualTo(2);
                assertThat(ws.notices()).isEmpty();
                assertThat(sse.notices()).isEmpty();
            }
        }
    }

    @Test
    void serverDownWhenTheToolStartsThenUpLaterSpoolReplaysEverythingOnce() throws Exception {
        String source = "drill-down-at-start";
        int n = 20;
        server.kill9();
        try (ChildProcess tool = drillTool(source)
                .start("--events", Integer.toString(n), "--spool-wait-ms", "180000")) {
            // every log call returned (into the spool) although nothing listens
            tool.awaitLine(("done " + n)::equals, Duration.ofSeconds(120));
            assertThat(server.isAlive()).isFalse();
            Instant restartedAt = Instant.now();
            server.restart();

            assertThat(tool.awaitExit(Duration.ofSeconds(240))).as(tool.describe()).isZero();
            assertThat(tool.lines()).as(tool.describe()).contains("spool empty");
            List<JsonNode> events = Poll.events(server, source, e -> Drills.allSeqsPresent(e, n));
            Drills.assertEachSeqExactlyOnce(events, n);
            List<JsonNode> items = events.stream().filter(e -> e.path("data").path("mdc").has("seq"))
                    .collect(Collectors.toList());
            assertThat(items).as("logged before the server came up, replayed from the spool with their own time")
                    .allSatisfy(e -> assertThat(Instant.parse(e.get("timestamp").asText())).isBefore(restartedAt));
        } finally {
            if (!server.isAlive()) {
                server.restart();
            }
        }
    }
}
