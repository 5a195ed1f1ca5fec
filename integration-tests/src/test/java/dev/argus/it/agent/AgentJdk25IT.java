package dev.argus.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.argus.it.agent.AgentIT.hasTypes;
import static dev.argus.it.agent.AgentIT.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The same agent jar on the newest host JVM available here (Temurin 25), virtual threads included. */
class AgentJdk25IT {
    @TempDir
    Path dir;

    @Test
    void theAgentWorksOnJava25() throws Exception {
        assumeTrue(Files.isExecutable(ChildJvm.TEMURIN_25.resolve("bin/java")),
                "Temurin 25 is not installed at " + ChildJvm.TEMURIN_25);
        try (ArgusServer server = ArgusServer.start(dir)) {
            String args = "url=" + server.url() + ",key=" + server.apiKey() + ",source=agent-it-jdk25," + AgentIT.LOADED_MACHINE;
            ChildJvm.Result run = ChildJvm.on(ChildJvm.TEMURIN_25).agent(args)
                    .run("com.acme.agentapp.SampleApp", "crash-worker");
            ChildJvm.Result plain = ChildJvm.on(ChildJvm.TEMURIN_25).run("com.acme.agentapp.SampleApp", "crash-worker");
            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(run.stdout).isEqualTo(plain.stdout);
            assertThat(run.stderrWithoutAgent()).as(run.toString()).isEqualTo(plain.stderrWithoutAgent());

            ChildJvm.Result methods = ChildJvm.on(ChildJvm.TEMURIN_25).agent(args).run("com.acme.agentapp.SampleApp", "ok");
            assertThat(methods.exitCode).as(methods.toString()).isZero();

            ChildJvm.Result virtual = ChildJvm.on(ChildJvm.TEMURIN_25).agent(args).run("com.acme.agentapp.SampleApp", "crash-virtual");
            assertThat(virtual.exitCode).as(virtual.toString()).isZero();
            assertThat(virtual.stderr).contains("java.lang.IllegalStateException: virtual failed");

            long deadline = System.nanoTime() + 60_000_000_000L;
            List<JsonNode> events = server.allEvents("source=agent-it-jdk25");
            while (!(hasTypes(events, "jvm.start", "error", "method", "order") && ofType(events, "jvm.stop").size() == 3
                    && ofType(events, "error").size() == 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                events = server.allEvents("source=agent-it-jdk25");
            }
            String seen = events.stream().map(e -> e.get("event_type").asText() + ": " + e.get("message").asText())
                    .collect(java.util.stream.Collectors.joining("\n"));
            String why = "events:\n" + seen + "\nok run:\n" + methods + "\nvirtual run:\n" + virtual;
            JsonNode start = ofType(events, "jvm.start").get(0).get("data");
            assertThat(start.get("java_version").asText()).startsWith("25");
            assertThat(ofType(events, "error")).as(why).extracting(e -> e.get("message").asText()).containsExactlyInAnyOrder(
                    "Exception in thread \"sample-worker\" java.lang.IllegalArgumentException: worker failed",
                    "Exception in thread \"\" java.lang.IllegalStateException: virtual failed");
            assertThat(ofType(events, "method")).as(why).extracting(e -> e.get("data").get("method").asText()).contains("total");
            assertThat(ofType(events, "jvm.stop")).as(why).hasSize(3);
        }
    }
}
