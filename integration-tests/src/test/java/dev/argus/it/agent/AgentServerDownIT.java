package dev.argus.it.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a working server the application must behave exactly as without the agent: same
 * output, same exit code, and the JVM ends (the agent waits a bounded time, not forever).
 */
class AgentServerDownIT {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertSameBehaviour(String agentArgs, String... args) throws Exception {
        ChildJvm.Result plain = ChildJvm.current().run("com.acme.agentapp.SampleApp", args);
        ChildJvm.Result agent = ChildJvm.current().agent(agentArgs).run("com.acme.agentapp.SampleApp", args);
        assertThat(agent.exitCode).as(agent.toString()).isEqualTo(plain.exitCode);
        assertThat(agent.stdout).as(agent.toString()).isEqualTo(plain.stdout);
        assertThat(agent.stderrWithoutAgent()).as(agent.toString()).isEqualTo(plain.stderrWithoutAgent());
        // at most one line of its own, never a flood of retries
        assertThat(agent.stderr.lines().filter(l -> l.startsWith("[argus-agent]")).count()).as(agent.toString())
                .isLessThanOrEqualTo(1);
        System.out.printf("server down (%s, %s): %d ms with the agent, %d ms without%n",
                agentArgs, String.join(" ", args), agent.millis, plain.millis);
    }

    @Test
    void refusedConnectionsChangeNothingForTheApplication() throws Exception {
        String args = "url=http://127.0.0.1:" + closedPort() + ",key=k";
        assertSameBehaviour(args, "ok");
        assertSameBehaviour(args, "hello");
        assertSameBehaviour(args, "crash-main");
        assertSameBehaviour(args, "crash-worker");
    }

    /** The plain request at exit fails; the client takes the same two events and spools them in order. */
    @Test
    void aShortProgramsStartAndStopGoToTheSpoolWhenTheServerIsDown(@TempDir Path tmp) throws Exception {
        Path spool = tmp.resolve("spool");
        assertSameBehaviour("url=http://127.0.0.1:" + closedPort() + ",key=k,spoolDir=" + spool, "hello");
        String spooled;
        try (Stream<Path> files = Files.list(spool)) {
            spooled = files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted()
                    .map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).collect(Collectors.joining());
        }
        assertThat(spooled.lines().count()).as(spooled).isEqualTo(2);
        assertThat(spooled.indexOf("\"jvm.start\"")).isNotNegative().isLessThan(spooled.indexOf("\"jvm.stop\""));
    }

    @Test
    void aServerThatNeverAnswersOnlyCostsTheConfiguredTimeouts() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accept, read nothing, answer nothing
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            String args = "url=http://127.0.0.1:" + silent.getLocalPort() + ",key=k,timeoutMs=1000,connectTimeoutMs=500";
            // without bounds the shutdown hook would wait for jvm.stop forever and the child would
            // hit ChildJvm's 120 s limit
            assertSameBehaviour(args, "crash-main");
            assertSameBehaviour(args, "hello");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void malformedSettingsCostOneLineAndNothingElse() throws Exception {
        ChildJvm.Result plain = ChildJvm.current().run("com.acme.agentapp.SampleApp", "ok");
        ChildJvm.Result agent = ChildJvm.current().agent("timeoutMs=soon").run("com.acme.agentapp.SampleApp", "ok");
        assertThat(agent.exitCode).isEqualTo(plain.exitCode);
        assertThat(agent.stdout).isEqualTo(plain.stdout);
        assertThat(agent.stderr.strip())
                .isEqualTo("[argus-agent] not started, the application runs without it: "
                        + "java.lang.IllegalArgumentException: timeoutMs must be a whole number, not soon");
    }
}
