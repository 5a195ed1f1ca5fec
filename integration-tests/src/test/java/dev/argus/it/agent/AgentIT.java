package dev.argus.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built {@code argus-agent.jar} on real child JVMs against a real argus-service: what each
 * kind of event carries, and that the application behaves exactly as without the agent.
 */
class AgentIT {
    static final String LOADED_MACHINE = "timeoutMs=10000";
    @TempDir
    static Path dir;
    static ArgusServer server;

    @BeforeAll
    static void startServer() {
        server = ArgusServer.start(dir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Connection settings for the child JVMs. The generous timeout keeps the tests reliable on a
     * loaded machine: batched events are flushed at exit within {@code timeoutMs}.
     */
    static String agentArgs(String source, String extra) {
        return "url=" + server.url() + ",key=" + server.apiKey() + ",source=" + source + "," + LOADED_MACHINE
                + (extra.isEmpty() ? "" : "," + extra);
    }

    /** Polls until the events of {@code source} satisfy {@code done} (generous deadline for a loaded machine). */
    static List<JsonNode> awaitEvents(String source, Predicate<List<JsonNode>> done) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<JsonNode> events = server.allEvents("source=" + source);
        while (!done.test(events) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            events = server.allEvents("source=" + source);
        }
        return events;
    }

    static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type.equals(e.get("event_type").asText())).collect(Collectors.toList());
    }

    static boolean hasTypes(List<JsonNode> events, String... types) {
        for (String t : types) {
            if (ofType(events, t).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void startAndStopEventsDescribeTheJvmWithArgumentsRedacted() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-start"));
        ChildJvm.Result run = ChildJvm.current().workDir(work).agent(agentArgs("agent-it-start", ""))
                .run("com.acme.agentapp.SampleApp", "ok", "secret-token-123");
        assertThat(run.exitCode).as(run.toString()).isZero();

        List<JsonNode> events = awaitEvents("agent-it-start", e -> hasTypes(e, "jvm.start", "jvm.stop"));
        JsonNode start = ofType(events, "jvm.start").get(0);
        JsonNode data = start.get("data");
        assertThat(start.get("level").asText()).isEqualTo("info");
        assertThat(data.get("java_version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(data.get("java_vendor").asText()).isEqualTo(System.getProperty("java.vendor"));
        assertThat(data.get("pid").asLong()).isEqualTo(run.pid);
        assertThat(data.get("main").asText()).isEqualTo("com.acme.agentapp.SampleApp");
        assertThat(data.get("command").asText()).isEqualTo("com.acme.agentapp.SampleApp [2 arguments redacted]");
        assertThat(data.get("argument_count").asInt()).isEqualTo(2);
        assertThat(start.toString()).doesNotContain("secret-token-123");
        assertThat(data.get("host").asText()).isNotBlank();
        assertThat(Path.of(data.get("working_directory").asText()).toRealPath()).isEqualTo(work.toRealPath());
        assertThat(data.get("max_heap_bytes").asLong()).isBetween(1L, 64L * 1024 * 1024);
        assertThat(data.get("agent_version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(data.get("attach").asText()).isEqualTo("premain");

        JsonNode stop = ofType(events, "jvm.stop").get(0);
        assertThat(stop.get("data").get("uptime_ms").asLong()).isPositive();
        assertThat(stop.get("id").asLong()).isGreaterThan(start.get("id").asLong());
        String session = start.get("session_id").asText();
        assertThat(session).isNotBlank();
        assertThat(events).allSatisfy(e -> assertThat(e.get("session_id").asText()).isEqualTo(session));
    }

    @Test
    void commandArgumentsAreReportedWhenEnabled() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-args", "commandArgs=true"))
                .run("com.acme.agentapp.SampleApp", "ok", "visible-arg");
        assertThat(run.exitCode).as(run.toString()).isZero();
        JsonNode data = ofType(awaitEvents("agent-it-args", e -> hasTypes(e, "jvm.start")), "jvm.start").get(0).get("data");
        assertThat(data.get("command").asText()).isEqualTo("com.acme.agentapp.SampleApp ok visible-arg");
        assertThat(data.get("arguments").toString()).isEqualTo("[\"ok\",\"visible-arg\"]");
    }

    @Test
    void observedAnnotatedConfiguredAndListedMethodsBecomeMethodEvents() throws Exception {
        String extra = "annotations=io.opentelemetry.instrumentation.annotations.WithSpan,"
                + "methods=com.acme.agentapp.SampleApp$Orders[plain]";
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-methods", extra))
                .run("com.acme.agentapp.SampleApp", "ok");
        ChildJvm.Result plain = ChildJvm.current().run("com.acme.agentapp.SampleApp", "ok");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo(plain.stdout);

        List<JsonNode> events = awaitEvents("agent-it-methods",
                e -> ofType(e, "method").size() >= 3 && hasTypes(e, "order", "jvm.stop"));
        Map<String, JsonNode> byMethod = events.stream()
                .filter(e -> e.get("event_type").asText().equals("method") || e.get("event_type").asText().equals("order"))
                .collect(Collectors.toMap(e -> e.get("data").get("method").asText(), e -> e));
        assertThat(byMethod).containsOnlyKeys("total", "reject", "traced", "plain");

        JsonNode total = byMethod.get("total");
        assertThat(total.get("level").asText()).isEqualTo("info");
        assertThat(total.get("data").get("class").asText()).isEqualTo("com.acme.agentapp.SampleApp$Orders");
        assertThat(total.get("data").get("name").asText()).isEqualTo("SampleApp$Orders.total");
        assertThat(total.get("data").get("outcome").asText()).isEqualTo("ok");
        assertThat(total.get("data").get("duration_ns").asLong()).isPositive();
        assertThat(total.get("data").has("arguments")).isFalse();

        JsonNode reject = byMethod.get("reject");
        assertThat(reject.get("event_type").asText()).isEqualTo("order");
        assertThat(reject.get("level").asText()).isEqualTo("error");
        assertThat(reject.get("data").get("name").asText()).isEqualTo("order.reject");
        assertThat(reject.get("data").get("outcome").asText()).isEqualTo("error");
        assertThat(reject.get("data").get("exception").get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(reject.get("data").get("exception").get("message").asText()).isEqualTo("out of stock");

        assertThat(byMethod.get("traced").get("data").get("name").asText()).isEqualTo("traced-span");
        assertThat(byMethod.get("plain").get("data").get("outcome").asText()).isEqualTo("ok");
    }

    @Test
    void argumentsAreSentOnlyWhenCaptureIsEnabled() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-capture", "captureArgs=true,maxArgLength=4"))
                .run("com.acme.agentapp.SampleApp", "ok");
        assertThat(run.exitCode).as(run.toString()).isZero();
        List<JsonNode> events = awaitEvents("agent-it-capture", e -> hasTypes(e, "order"));
        assertThat(ofType(events, "order").get(0).get("data").get("arguments").toString())
                .isEqualTo("[\"out …(12 chars)\"]");
    }

    @Test
    void uncaughtExceptionInMainIsReportedAndTheJvmFailsAsBefore() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-crash-main", ""))
                .run("com.acme.agentapp.SampleApp", "crash-main");
        ChildJvm.Result plain = ChildJvm.current().run("com.acme.agentapp.SampleApp", "crash-main");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(plain.exitCode).isEqualTo(1);
        assertThat(run.stdout).isEqualTo(plain.stdout);
        assertThat(run.stderrWithoutAgent()).isEqualTo(plain.stderrWithoutAgent())
                .contains("Exception in thread \"main\" java.lang.IllegalStateException: main failed");

        List<JsonNode> events = awaitEvents("agent-it-crash-main", e -> hasTypes(e, "error", "jvm.stop"));
        JsonNode error = ofType(events, "error").get(0);
        assertThat(error.get("level").asText()).isEqualTo("error");
        assertThat(error.get("message").asText())
                .isEqualTo("Exception in thread \"main\" java.lang.IllegalStateException: main failed");
        JsonNode data = error.get("data");
        assertThat(data.get("thread").asText()).isEqualTo("main");
        assertThat(data.get("exception").get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(data.get("exception").get("message").asText()).isEqualTo("main failed");
        assertThat(data.get("exception").get("stack_trace").get(0).asText()).contains("SampleApp.main");
        assertThat(error.get("id").asLong()).isLessThan(ofType(events, "jvm.stop").get(0).get("id").asLong());
    }

    @Test
    void uncaughtExceptionInWorkerThreadIsReportedAndMainCarriesOn() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-crash-worker", ""))
                .run("com.acme.agentapp.SampleApp", "crash-worker");
        ChildJvm.Result plain = ChildJvm.current().run("com.acme.agentapp.SampleApp", "crash-worker");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(plain.exitCode).isZero();
        assertThat(run.stdout).isEqualTo(plain.stdout).contains("main continues after worker died");
        assertThat(run.stderrWithoutAgent()).isEqualTo(plain.stderrWithoutAgent())
                .contains("Exception in thread \"sample-worker\" java.lang.IllegalArgumentException: worker failed");

        List<JsonNode> events = awaitEvents("agent-it-crash-worker", e -> hasTypes(e, "error"));
        JsonNode data = ofType(events, "error").get(0).get("data");
        assertThat(data.get("thread").asText()).isEqualTo("sample-worker");
        assertThat(data.get("exception").get("message").asText()).isEqualTo("worker failed");
    }

    @Test
    void handlerInstalledByTheApplicationLaterStillRunsAndTheErrorIsReported() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-own-handler", ""))
                .run("com.acme.agentapp.SampleApp", "own-handler");
        ChildJvm.Result plain = ChildJvm.current().run("com.acme.agentapp.SampleApp", "own-handler");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(plain.exitCode).isEqualTo(3);
        assertThat(run.stdout).isEqualTo(plain.stdout).contains("own handler saw handled by the app in main");

        List<JsonNode> events = awaitEvents("agent-it-own-handler", e -> hasTypes(e, "error"));
        assertThat(ofType(events, "error").get(0).get("data").get("exception").get("class").asText())
                .isEqualTo("java.lang.UnsupportedOperationException");
    }

    /**
     * A program that ends with nothing but jvm.start and jvm.stop to send never builds the client:
     * its shutdown hook stores both in one plain request, in that order. (startDelayMs generous:
     * on a loaded machine hello world can take long from premain to its exit.)
     */
    @Test
    void aShortProgramStoresStartThenStopInOneRequestWithoutBuildingTheClient() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-lean", "startDelayMs=60000,debug=true"))
                .run("com.acme.agentapp.SampleApp", "hello");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stderr).as(run.toString())
                .contains("[argus-agent] shutdown: jvm.start and jvm.stop stored in one request without a client")
                .doesNotContain("background start done")
                .doesNotContain(server.apiKey());

        List<JsonNode> events = awaitEvents("agent-it-lean", e -> hasTypes(e, "jvm.start", "jvm.stop"));
        assertThat(events).hasSize(2);
        JsonNode start = ofType(events, "jvm.start").get(0);
        JsonNode stop = ofType(events, "jvm.stop").get(0);
        assertThat(stop.get("id").asLong()).isGreaterThan(start.get("id").asLong());
        assertThat(start.get("data").get("pid").asLong()).isEqualTo(run.pid);
        assertThat(start.get("data").get("main").asText()).isEqualTo("com.acme.agentapp.SampleApp");
        assertThat(stop.get("data").get("uptime_ms").asLong()).isPositive();
        assertThat(stop.get("session_id").asText()).isEqualTo(start.get("session_id").asText());
    }

    /** An error wakes the waiting starter: jvm.start is still stored before it (and it before jvm.stop). */
    @Test
    void anErrorInAShortProgramIsStoredAfterJvmStartAndBeforeJvmStop() throws Exception {
        ChildJvm.Result run = ChildJvm.current().agent(agentArgs("agent-it-lean-crash", "startDelayMs=60000"))
                .run("com.acme.agentapp.SampleApp", "crash-main");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);

        List<JsonNode> events = awaitEvents("agent-it-lean-crash", e -> hasTypes(e, "jvm.start", "error", "jvm.stop"));
        long start = ofType(events, "jvm.start").get(0).get("id").asLong();
        long error = ofType(events, "error").get(0).get("id").asLong();
        long stop = ofType(events, "jvm.stop").get(0).get("id").asLong();
        assertThat(start).isLessThan(error);
        assertThat(error).isLessThan(stop);
    }

    /** With nothing demanding the client, a program that keeps running gets jvm.start after the start delay. */
    @Test
    void aLongRunningProgramGetsJvmStartWhileItRuns() throws Exception {
        Path marker = dir.resolve("long-running.done");
        long launched = System.nanoTime();
        CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(() -> {
            try {
                return ChildJvm.current().agent(agentArgs("agent-it-long", ""))
                        .run("com.acme.agentapp.SampleApp", "wait-for-file", marker.toString());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            List<JsonNode> events = awaitEvents("agent-it-long", e -> hasTypes(e, "jvm.start") || child.isDone());
            assertThat(child).as("still running when jvm.start is stored").isNotDone();
            assertThat(ofType(events, "jvm.start")).hasSize(1);
            assertThat(ofType(events, "jvm.stop")).isEmpty();
            System.out.printf("jvm.start of a running program stored %d ms after its JVM was launched%n",
                    (System.nanoTime() - launched) / 1_000_000);
        } finally {
            Files.createFile(marker);
        }
        ChildJvm.Result run = child.get(180, TimeUnit.SECONDS);
        assertThat(run.exitCode).as(run.toString()).isZero();
        List<JsonNode> events = awaitEvents("agent-it-long", e -> hasTypes(e, "jvm.start", "jvm.stop"));
        assertThat(ofType(events, "jvm.stop").get(0).get("id").asLong())
                .isGreaterThan(ofType(events, "jvm.start").get(0).get("id").asLong());
    }
}
