package dev.argus.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.tools.attach.VirtualMachine;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.agent.AgentIT.hasTypes;
import static dev.argus.it.agent.AgentIT.ofType;
import static org.assertj.core.api.Assertions.assertThat;

/** Attaching the agent to a JVM that is already running (Agent-Class / agentmain). */
class AgentAttachIT {
    @TempDir
    Path dir;

    @Test
    void attachingToARunningJvmInstrumentsAlreadyLoadedClasses() throws Exception {
        try (ArgusServer server = ArgusServer.start(dir)) {
            Path marker = dir.resolve("go");
            List<String> cmd = List.of(ArgusServer.javaBin(), "-Xmx64m", "-cp", ChildJvm.sampleClassPath(),
                    "com.acme.agentapp.SampleApp", "wait-for-attach", marker.toString());
            Process app = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("ready")) {
                    lines.add(line);
                }
                assertThat(line).as("app output: %s", lines).isEqualTo("ready");

                VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
                try {
                    vm.loadAgent(ChildJvm.agentJar().toString(),
                            "url=" + server.url() + ",key=" + server.apiKey() + ",source=agent-it-attach," + AgentIT.LOADED_MACHINE);
                } finally {
                    vm.detach();
                }
                Files.createFile(marker);
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            }
            assertThat(app.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(app.exitValue()).as("output: %s", lines).isZero();
            assertThat(lines).contains("after 4");

            long deadline = System.nanoTime() + 60_000_000_000L;
            List<JsonNode> events = server.allEvents("source=agent-it-attach");
            while (!hasTypes(events, "jvm.start", "method", "jvm.stop") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                events = server.allEvents("source=agent-it-attach");
            }
            assertThat(ofType(events, "jvm.start").get(0).get("data").get("attach").asText()).isEqualTo("agentmain");
            // Orders was loaded before the attach: only the call after it is observed
            assertThat(ofType(events, "method")).hasSize(1);
            assertThat(ofType(events, "method").get(0).get("data").get("method").asText()).isEqualTo("total");
        }
    }
}
