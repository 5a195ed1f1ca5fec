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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.argus.it.e2e.Poll.byLogger;
import static dev.argus.it.e2e.Poll.ofType;
import static dev.argus.it.e2e.Poll.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample tool, run once as a user would (agent plus both appenders, configured from
 * {@code ARGUS_*}), against the built service: every integration's events arrive with the
 * documented fields, and the {@code query} and {@code tail} commands see them.
 */
class SampleToolIT {
    static final String SOURCE = "e2e-sample";
    static final String SESSION = "e2e-session-1";
    static final String RUN = "r-e2e";
    /** jvm.start + jvm.stop, 4 method events, 5 Logback and 5 Log4j2 events for {@code --events 3}. */
    static final int EXPECTED_EVENTS = 2 + 4 + 5 + 5;

    @TempDir
    static Path dir;
    static ArgusServer server;
    static ChildProcess tool;
    static int exitCode;
    static List<JsonNode> events;

    @BeforeAll
    static void runToolOnce() throws Exception {
        Jars.service();
        server = ArgusServer.start(Files.createDirectories(dir.resolve("server")));
        tool = SampleTool.against(server, SOURCE, dir.resolve("tool")).env("ARGUS_SESSION", SESSION)
                .start("--events", "3", "--run", RUN);
        exitCode = tool.awaitExit(Duration.ofSeconds(120));
        events = Poll.events(server, SOURCE, e -> e.size() >= EXPECTED_EVENTS);
    }

    @AfterAll
    static void stopServer() {
        if (tool != null) {
            tool.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void toolRunsAsWithoutArgusAndEveryEventIsStoredOnce() {
        assertThat(exitCode).as(tool.describe()).isZero();
        assertThat(tool.lines()).as(tool.describe()).containsSubsequence("seq 1", "seq 2", "seq 3", "done 3");
        assertThat(events).as(events.toString()).hasSize(EXPECTED_EVENTS);
        Set<String> uuids = events.stream().map(e -> e.get("uuid").asText()).collect(Collectors.toSet());
        assertThat(uuids).hasSize(EXPECTED_EVENTS);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("source").asText()).isEqualTo(SOURCE);
            assertThat(e.get("session_id").asText()).as("one ARGUS_SESSION correlates agent and appenders")
                    .isEqualTo(SESSION);
            assertThat(e.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        });
    }

    @Test
    void agentReportsJvmStartAndStop() {
        List<JsonNode> starts = ofType(events, "jvm.start");
        List<JsonNode> stops = ofType(events, "jvm.stop");
        assertThat(starts).hasSize(1);
        assertThat(stops).hasSize(1);
        JsonNode start = starts.get(0).get("data");
        assertThat(start.get("main").asText()).isEqualTo(SampleTool.MAIN);
        assertThat(start.get("pid").asLong()).isEqualTo(tool.pid());
        assertThat(start.get("command").asText()).isEqualTo(SampleTool.MAIN + " [4 arguments redacted]");
        assertThat(start.get("java_version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(start.get("agent_version").asText()).isNotBlank();
        assertThat(stops.get(0).get("data").get("uptime_ms").asLong()).isPositive();
        assertThat(stops.get(0).get("data").get("events_dropped").asLong()).isZero();
        assertThat(stops.get(0).get("id").asLong()).isGreaterThan(starts.get(0).get("id").asLong());
    }

    @Test
    void agentReportsObservedMethodsWithOutcome() {
        List<JsonNode> methods = ofType(events, "method");
        List<JsonNode> counts = methods.stream().filter(e -> e.get("data").get("name").asText().equals("Inventory.count"))
                .collect(Collectors.toList());
        assertThat(counts).hasSize(3).allSatisfy(e -> {
            assertThat(e.get("level").asText()).isEqualTo("info");
            assertThat(e.get("data").get("class").asText()).isEqualTo("com.example.sampletool.Inventory");
            assertThat(e.get("data").get("method").asText()).isEqualTo("count");
            assertThat(e.get("data").get("outcome").asText()).isEqualTo("ok");
            assertThat(e.get("data").get("duration_ns").asLong()).isPositive();
            assertThat(e.get("data").get("thread").asText()).isEqualTo("main");
        });
        List<JsonNode> audits = methods.stream().filter(e -> e.get("data").get("name").asText().equals("inventory.audit"))
                .collect(Collectors.toList());
        assertThat(audits).hasSize(1);
        JsonNode audit = audits.get(0);
        assertThat(audit.get("level").asText()).isEqualTo("error");
        assertThat(audit.get("data").get("outcome").asText()).isEqualTo("error");
        assertThat(audit.get("data").get("exception").get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(audit.get("data").get("exception").get("message").asText()).isEqualTo("audit of 3 items found 1 missing");
    }

    @Test
    void logbackEventsCarryLoggerThreadMdcKeyValuesAndException() {
        List<JsonNode> logback = byLogger(events, SampleTool.LOGBACK_LOGGER);
        assertThat(logback).hasSize(5);
        assertThat(seqs(logback)).containsExactly(1, 2, 3);
        JsonNode item2 = logback.stream().filter(e -> e.get("message").asText().equals("item 2 counted")).findFirst()
                .orElseThrow();
        assertThat(item2.get("level").asText()).isEqualTo("info");
        assertThat(item2.get("data").get("thread").asText()).isEqualTo("main");
        assertThat(item2.get("data").get("mdc").toString()).isEqualTo("{\"run\":\"" + RUN + "\",\"seq\":\"2\"}");
        assertThat(item2.get("data").get("key_values").toString()).isEqualTo("{\"seq\":2,\"stock\":14}");

        JsonNode error = single(ofLevel(logback, "error"));
        assertThat(error.get("message").asText()).isEqualTo("audit failed for run " + RUN);
        assertException(error.get("data").get("exception"));
    }

    @Test
    void log4j2EventsCarryLoggerThreadContextMapMessageAndException() {
        List<JsonNode> log4j2 = byLogger(events, SampleTool.LOG4J2_LOGGER);
        assertThat(log4j2).hasSize(5);
        assertThat(seqs(log4j2)).containsExactly(1, 2, 3);
        JsonNode line3 = log4j2.stream().filter(e -> e.get("message").asText().equals("report line 3 written (stock 21)"))
                .findFirst().orElseThrow();
        assertThat(line3.get("level").asText()).isEqualTo("info");
        assertThat(line3.get("data").get("thread").asText()).isEqualTo("main");
        assertThat(line3.get("data").get("mdc").get("run").asText()).isEqualTo(RUN);
        assertThat(line3.get("data").get("mdc").get("seq").asText()).isEqualTo("3");

        JsonNode summary = log4j2.stream().filter(e -> e.get("data").has("key_values")).findFirst().orElseThrow();
        assertThat(summary.get("data").get("key_values").get("items").asText()).isEqualTo("3");
        assertThat(summary.get("data").get("key_values").get("summary").asText()).isEqualTo("report finished");

        JsonNode error = single(ofLevel(log4j2, "error"));
        assertThat(error.get("message").asText()).isEqualTo("report incomplete: audit of 3 items found 1 missing");
        assertException(error.get("data").get("exception"));
    }

    @Test
    void argusQueryListsTheToolsEvents() throws Exception {
        ChildProcess query = Cli.start(server, dir.resolve("cli-query"), "query", "--source", SOURCE,
                "--order", "asc", "--limit", "1000", "--json");
        assertThat(query.awaitExit(Duration.ofSeconds(120))).as(query.describe()).isZero();
        List<JsonNode> printed = query.lines().stream().filter(l -> !l.isBlank()).map(ArgusServer::readJson)
                .collect(Collectors.toList());
        assertThat(Poll.ids(printed)).as(query.describe()).isEqualTo(Poll.ids(events));
        assertThat(printed.get(0).get("event_type").asText()).isEqualTo("jvm.start");
    }

    @Test
    void argusTailPrintsAnEventCommittedWhileItRuns() throws Exception {
        String source = "e2e-tail";
        ChildProcess tail = Cli.start(server, dir.resolve("cli-tail"), "tail", "--source", source,
                "--json", "--max-events", "1");
        try {
            // tail starts after the newest stored event: keep committing probes until one is printed live
            Set<Long> probeIds = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int n = 0;
            while (tail.lines().isEmpty() && System.nanoTime() < deadline) {
                n++;
                probeIds.add(server.postEvent("{\"source\":\"" + source + "\",\"event_type\":\"probe\",\"message\":\"probe "
                        + n + "\"}"));
                Poll.until(Duration.ofSeconds(1), tail::lines, l -> !l.isEmpty());
            }
            assertThat(tail.awaitExit(Duration.ofSeconds(60))).as(tail.describe()).isZero();
            assertThat(tail.lines()).as(tail.describe()).hasSize(1);
            JsonNode printed = ArgusServer.readJson(tail.lines().get(0));
            assertThat(printed.get("source").asText()).isEqualTo(source);
            assertThat(probeIds).contains(printed.get("id").asLong());
            assertThat(printed.get("message").asText()).startsWith("probe ");
        } finally {
            tail.close();
        }
    }

    private static List<JsonNode> ofLevel(List<JsonNode> events, String level) {
        return events.stream().filter(e -> level.equals(e.get("level").asText())).collect(Collectors.toList());
    }

    private static JsonNode single(List<JsonNode> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static void assertException(JsonNode exception) {
        assertThat(exception.get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(exception.get("message").asText()).isEqualTo("audit of 3 items found 1 missing");
        assertThat(exception.get("stack_trace").get(0).asText()).startsWith("com.example.sampletool.Inventory.audit(");
        assertThat(exception.get("cause").get("class").asText()).isEqualTo("java.io.IOException");
        assertThat(exception.get("cause").get("message").asText()).isEqualTo("inventory file truncated");
    }
}
