package dev.argus.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool drill of issue 12 item 5: a tool logs 3,000 events in sync mode with a spool; the
 * server dies while it logs and comes back only as the tool exits. What the tool spooled must
 * reach the server when the tool closes, not at some later run. And a spool whose tool was
 * killed is delivered by {@code argus spool flush DIR}, never while the tool still owns it.
 * Every event is checked by its {@code seq} and its uuid: stored exactly once.
 */
class SpoolDrillIT {
  private static final int N = 3000;

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

  private static ChildProcess tool(String source, Path spool, long closeTimeoutMs, long cooldownMs, Path exitWhen)
      throws IOException {
    List<String> cmd = List.of(ArgusServer.javaBin(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), SpoolDrillTool.class.getName(), server.url(), server.apiKey(),
        source, spool.toString(), Integer.toString(N), Long.toString(closeTimeoutMs), Long.toString(cooldownMs),
        exitWhen.toString());
    return ChildProcess.start(cmd, Map.of(), dir.resolve(source));
  }

  /** Every stored event of {@code source} carries seq 1..N exactly once, and no uuid twice. */
  private static void assertStoredExactlyOnce(List<JsonNode> events) {
    List<Integer> seqs = Poll.seqs(events);
    assertThat(seqs).as("seq of stored events").hasSize(N)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, N).boxed().collect(Collectors.toList()));
    assertThat(events.stream().map(e -> e.get("uuid").asText()).collect(Collectors.toList()))
        .as("uuids").doesNotHaveDuplicates();
  }

  private static List<String> segments(Path spool) throws IOException {
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(spool)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("segment-"))
          .collect(Collectors.toList());
    }
  }

  private record Run(int exit, String out, String err) {
  }

  /** {@code java -jar argus-service.jar spool flush DIR --url --key}. */
  private static Run spoolFlush(Path spool) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ArgusServer.javaBin(), "-Xmx256m", "-Duser.home=" + dir.resolve("cli-home"),
        "-jar", Jars.service().toString(), "spool", "flush", spool.toString(), "--url", server.url(),
        "--key", server.apiKey()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_"));
    Path err = Files.createTempFile(dir, "flush-", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("spool flush did not finish");
    }
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  @Test
  void serverKilledWhileTheToolLogsAndBackAsItExitsTheToolsCloseDeliversEverythingOnce() throws Exception {
    String source = "drill-close";
    Path spool = dir.resolve(source).resolve("spool");
    Path exitWhen = dir.resolve(source + ".exit");
    // the default breaker cool-down (10 s): the tool's replay thread would not look at the server
    // again before it exits; only the drain on close can deliver the spool in time
    try (ChildProcess tool = tool(source, spool, 120_000, 10_000, exitWhen)) {
      tool.awaitLine("started"::equals, Duration.ofSeconds(120));
      long started = System.nanoTime();
      tool.awaitLine("seq 100"::equals, Duration.ofSeconds(120));
      Thread.sleep(Math.max(0, 2000 - (System.nanoTime() - started) / 1_000_000));
      server.kill9();
      long killedAt = System.nanoTime();
      String done = tool.awaitLine(l -> l.startsWith("done "), Duration.ofSeconds(180));
      assertThat(done).as(tool.describe()).contains("dropped 0").doesNotContain("spooled 0 ");
      Thread.sleep(Math.max(0, 6000 - (System.nanoTime() - killedAt) / 1_000_000));
      Files.createFile(exitWhen); // the tool starts closing while the server is still down ...
      server.restart(); // ... and the server comes back as it does
      assertThat(tool.awaitExit(Duration.ofSeconds(240))).as(tool.describe()).isZero();
      assertThat(tool.lines()).as(tool.describe()).anyMatch(l -> l.startsWith("closed in "));
      List<JsonNode> events = server.allEvents("source=" + source);
      assertStoredExactlyOnce(events);
      assertThat(segments(spool)).as("spool segments left").isEmpty();
    }
  }

  @Test
  void aSpoolLeftByAKilledToolIsDeliveredOnceBySpoolFlushButNeverWhileTheToolOwnsIt() throws Exception {
    String source = "drill-flush";
    Path spool = dir.resolve(source).resolve("spool");
    Path exitWhen = dir.resolve(source + ".exit");
    server.kill9();
    try (ChildProcess tool = tool(source, spool, 0, 3_600_000, exitWhen)) {
      String done = tool.awaitLine(l -> l.startsWith("done "), Duration.ofSeconds(180));
      assertThat(done).as(tool.describe()).isEqualTo("done " + N + " spooled " + N + " dropped 0");
      server.restart();

      // the tool still runs and owns its spool: the flush refuses and sends nothing
      Run refused = spoolFlush(spool);
      assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(1);
      assertThat(refused.err()).contains("in use");
      assertThat(server.allEvents("source=" + source)).isEmpty();

      tool.close(); // SIGKILL: no shutdown, no drain
      assertThat(segments(spool)).isNotEmpty();
    } finally {
      if (!server.isAlive()) {
        server.restart();
      }
    }
    Run flushed = spoolFlush(spool);
    assertThat(flushed.exit()).as(flushed.out() + flushed.err()).isZero();
    assertThat(flushed.out()).contains(N + " event(s) delivered");
    assertStoredExactlyOnce(server.allEvents("source=" + source));
    assertThat(segments(spool)).as("spool segments left").isEmpty();

    Run again = spoolFlush(spool);
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("0 event(s) delivered");
    assertStoredExactlyOnce(server.allEvents("source=" + source));
  }
}
