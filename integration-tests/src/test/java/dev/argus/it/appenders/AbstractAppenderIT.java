package dev.argus.it.appenders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.argus.it.support.ArgusServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviour both appenders share (SPEC §9), written once and run for each: fields against a real
 * server, sync durability, batch drain on stop, failure modes against WireMock, spool replay with
 * nothing lost or duplicated, and no recursion through the JDK HTTP client's own logging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAppenderIT {

  /** Starts the framework's appender with these settings (attribute names as in the config files). */
  abstract AppenderHarness start(Map<String, String> settings);

  /** {@code logback} or {@code log4j2}, for the recursion probe child JVM. */
  abstract String framework();

  /** The setting that turns on caller data. */
  abstract String callerDataSetting();

  private Path dir;
  private ArgusServer server;
  private WireMockServer wiremock;
  private final List<AppenderHarness> open = new ArrayList<>();
  private String source;

  @BeforeAll
  void startServers() throws IOException {
    dir = Files.createTempDirectory("argus-appender-it");
    server = ArgusServer.start(dir);
    wiremock = new WireMockServer(wireMockConfig().dynamicPort());
    wiremock.start();
  }

  @AfterAll
  void stopServers() {
    if (wiremock != null) {
      wiremock.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void name(TestInfo info) {
    source = "it-" + framework() + "-" + info.getTestMethod().get().getName() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    wiremock.resetAll();
  }

  @AfterEach
  void closeHarnesses() {
    open.forEach(AppenderHarness::close);
    open.clear();
  }

  private Map<String, String> realServer(String... kv) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("url", server.url());
    s.put("apiKey", server.apiKey());
    s.put("source", source);
    for (int i = 0; i < kv.length; i += 2) {
      s.put(kv[i], kv[i + 1]);
    }
    return s;
  }

  private Map<String, String> fakeServer(String... kv) {
    Map<String, String> s = realServer(kv);
    s.put("url", wiremock.baseUrl());
    return s;
  }

  private AppenderHarness harness(Map<String, String> settings) {
    AppenderHarness h = start(settings);
    open.add(h);
    return h;
  }

  private List<JsonNode> stored() {
    return server.allEvents("source=" + URLEncoder.encode(source, StandardCharsets.UTF_8));
  }

  private static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not reached within " + max);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void everyFieldArrivesAsSent() {
    AppenderHarness h = harness(realServer("mdcExcludeKeys", "secret", callerDataSetting(), "true"));
    Map<String, String> ctx = new LinkedHashMap<>();
    ctx.put("request", "r-1");
    ctx.put("secret", "hunter2");
    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("order", "42");
    kv.put("user", "ann \"quoted\" ✓");
    RuntimeException error = new IllegalStateException("outer", new java.io.IOException("inner cause"));
    Instant before = Instant.now().minusMillis(1);
    h.logRich("hello\twörld \u0001 😀", ctx, kv, "AUDIT", error);
    Instant after = Instant.now().plusMillis(1);

    List<JsonNode> events = stored();
    assertThat(events).hasSize(1);
    JsonNode e = events.get(0);
    assertThat(e.get("source").asText()).isEqualTo(source);
    assertThat(e.get("event_type").asText()).isEqualTo("log");
    assertThat(e.get("level").asText()).isEqualTo("info");
    assertThat(e.get("message").asText()).isEqualTo("hello\twörld \u0001 😀");
    assertThat(e.get("uuid").asText()).isNotBlank();
    Instant ts = Instant.parse(e.get("timestamp").asText());
    assertThat(ts).isBetween(before, after);
    JsonNode data = e.get("data");
    assertThat(data.get("logger").asText()).isEqualTo(h.loggerName());
    assertThat(data.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(data.get("mdc").get("request").asText()).isEqualTo("r-1");
    assertThat(data.get("mdc").has("secret")).isFalse();
    assertThat(data.get("key_values").get("order").asText()).isEqualTo("42");
    assertThat(data.get("key_values").get("user").asText()).isEqualTo("ann \"quoted\" ✓");
    assertThat(data.get("markers").get(0).asText()).isEqualTo("AUDIT");
    assertThat(data.get("caller").get("class").asText()).endsWith("Harness"); // where the log call is
    assertThat(data.get("caller").get("method").asText()).isNotBlank();
    JsonNode ex = data.get("exception");
    assertThat(ex.get("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(ex.get("message").asText()).isEqualTo("outer");
    assertThat(ex.get("stack_trace").size()).isBetween(1, 50);
    assertThat(ex.get("stack_trace").get(0).asText()).contains("everyFieldArrivesAsSent");
    assertThat(ex.get("cause").get("class").asText()).isEqualTo("java.io.IOException");
    assertThat(ex.get("cause").get("message").asText()).isEqualTo("inner cause");
  }

  @Test
  void levelsMapLowerCaseAndMinimumLevelFilters() {
    AppenderHarness h = harness(realServer("minLevel", "INFO"));
    for (String level : new String[] {"trace", "debug", "info", "warn", "error"}) {
      h.log(level, "at " + level, null);
    }
    List<String> levels = new ArrayList<>();
    for (JsonNode e : stored()) {
      levels.add(e.get("level").asText());
    }
    assertThat(levels).containsExactly("info", "warn", "error");
  }

  @Test
  void syncModeReturnsOnlyAfterTheEventIsQueryable() {
    AppenderHarness h = harness(realServer("mode", "sync"));
    for (int i = 0; i < 20; i++) {
      String msg = "durable-" + i + "-" + UUID.randomUUID();
      h.log("info", msg, null);
      JsonNode page = server.getJson("/events?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
          + "&q=" + msg);
      assertThat(page.get("events")).as("event %d visible right after the log call", i).hasSize(1);
    }
  }

  @Test
  void batchModeDeliversEverythingOnStop() {
    AppenderHarness h = harness(realServer("mode", "batch", "flushIntervalMs", "60000", "batchSize", "200"));
    for (int i = 0; i < 3000; i++) {
      h.log("info", "batched " + i, null);
    }
    assertThat(h.client().droppedCount()).isZero();
    h.close();
    open.remove(h);
    List<JsonNode> events = stored();
    Set<String> messages = new HashSet<>();
    events.forEach(e -> messages.add(e.get("message").asText()));
    assertThat(events).hasSize(3000);
    assertThat(messages).hasSize(3000);
  }

  @Test
  void serverErrorsNeverReachTheApplicationAndOpenTheBreaker() {
    for (int status : new int[] {500, 503, 429}) {
      wiremock.resetAll();
      wiremock.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(status)));
      AppenderHarness h = harness(fakeServer("breakerFailures", "3", "breakerCooldownMs", "60000"));
      for (int i = 0; i < 10; i++) {
        h.log("error", "failing " + i, new RuntimeException("x"));
      }
      assertThat(h.client().isBreakerOpen()).isTrue();
      assertThat(wiremock.getAllServeEvents()).as("requests for status %d", status).hasSize(3);
      assertThat(h.client().droppedCount()).isEqualTo(10);
    }
  }

  @Test
  void slowServerCostsALogCallAtMostTheTimeout() {
    wiremock.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(201).withFixedDelay(10_000)));
    AppenderHarness h = harness(fakeServer("timeoutMs", "300"));
    long t0 = System.nanoTime();
    h.log("info", "slow", null);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isLessThan(5_000); // bound 300 ms; generous for a loaded 2-core machine
  }

  @Test
  void refusedConnectionOpensTheBreakerThenLogCallsAreCheap() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> settings = realServer("timeoutMs", "2000", "breakerCooldownMs", "60000");
    settings.put("url", "http://127.0.0.1:" + port);
    AppenderHarness h = harness(settings);
    for (int i = 0; i < 3; i++) {
      h.log("info", "refused " + i, null);
    }
    assertThat(h.client().isBreakerOpen()).isTrue();
    long t0 = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      h.log("info", "while open " + i, null);
    }
    long perCallMicros = (System.nanoTime() - t0) / 200 / 1000;
    assertThat(perCallMicros).isLessThan(200_000); // timeout is 2,000,000 µs; nothing waits on the network
  }

  @Test
  void spoolReplaysAfterRecoveryWithNothingLostOrDuplicated() throws Exception {
    Path spool = dir.resolve("spool-" + source);
    AppenderHarness h = harness(realServer("spoolDir", spool.toString(), "breakerFailures", "2",
        "breakerCooldownMs", "300", "timeoutMs", "1000"));
    h.log("info", "before outage", null);
    server.kill9();
    try {
      for (int i = 0; i < 40; i++) {
        h.log("warn", "during outage " + i, null);
      }
      assertThat(h.client().spooledCount()).isEqualTo(40);
      assertThat(h.client().droppedCount()).isZero();
    } finally {
      server.restart();
    }
    h.log("info", "after outage", null);
    await(() -> !h.client().hasSpooledEvents(), Duration.ofSeconds(60), "spool drained");
    List<JsonNode> events = stored();
    Set<String> uuids = new HashSet<>();
    List<String> outage = new ArrayList<>();
    for (JsonNode e : events) {
      uuids.add(e.get("uuid").asText());
      if (e.get("message").asText().startsWith("during outage")) {
        outage.add(e.get("message").asText());
      }
    }
    assertThat(events).hasSize(42);
    assertThat(uuids).hasSize(42);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add("during outage " + i);
    }
    assertThat(outage).as("replayed in order").isEqualTo(expected);
  }

  @Test
  void stopDeliversTheSpoolToAServerThatIsBackWhateverTheBreakerSays() throws Exception {
    Path spool = dir.resolve("spool-" + source);
    AppenderHarness h = harness(realServer("spoolDir", spool.toString(), "breakerCooldownMs", "600000",
        "timeoutMs", "1000", "closeTimeoutMs", "60000"));
    h.log("info", "before outage", null);
    server.kill9();
    try {
      for (int i = 0; i < 60; i++) {
        h.log("warn", "during outage " + i, null);
      }
      assertThat(h.client().spooledCount()).isEqualTo(60);
      assertThat(h.client().isBreakerOpen()).isTrue();
    } finally {
      server.restart();
    }
    // the breaker would not look at the server for ten minutes; stopping delivers at once
    h.close();
    open.remove(h);
    List<JsonNode> events = stored();
    Set<String> uuids = new HashSet<>();
    events.forEach(e -> uuids.add(e.get("uuid").asText()));
    assertThat(events).hasSize(61);
    assertThat(uuids).hasSize(61);
    try (java.util.stream.Stream<Path> files = Files.list(spool)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("segment-"));
    }
  }

  @Test
  void aServerThatAcceptsButNeverAnswersCostsBoundedThreadsAndTimePerLogCall() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1000)) {
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept()); // never read, never answered
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Map<String, String> settings = realServer("timeoutMs", "100", "maxInFlight", "4",
          "breakerFailures", "1000", "breakerCooldownMs", "10");
      settings.put("url", "http://127.0.0.1:" + silent.getLocalPort());
      AppenderHarness h = harness(settings);
      java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicInteger maxArgus = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        Thread t = new Thread(() -> {
          for (int i = 0; i < 1250; i++) { // 10,000 log calls in all
            long t0 = System.nanoTime();
            h.log("info", "into the void " + i, null);
            slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            if (i % 50 == 0) {
              maxArgus.accumulateAndGet(argusThreads(), Math::max);
            }
          }
        });
        callers.add(t);
        t.start();
      }
      for (Thread t : callers) {
        t.join(600_000);
      }
      maxArgus.accumulateAndGet(argusThreads(), Math::max);
      held.forEach(s -> {
        try {
          s.close();
        } catch (IOException ignored) {
          // test cleanup
        }
      });
      assertThat(maxArgus.get()).as("argus threads during 10,000 log calls").isLessThanOrEqualTo(4);
      assertThat(slowest.get()).as("slowest log call, ms (timeout 100)").isLessThan(100 + 1000);
    }
  }

  private static int argusThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("argus-http-")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void fullQueueInBatchModeDropsAndCountsWithoutBlocking() {
    wiremock.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(201).withFixedDelay(3000)));
    AppenderHarness h = harness(fakeServer("mode", "batch", "queueCapacity", "50", "batchSize", "10",
        "timeoutMs", "5000"));
    long t0 = System.nanoTime();
    for (int i = 0; i < 5000; i++) {
      h.log("info", "flood " + i, null);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isLessThan(2_500); // one batch takes 3 s at the server; logging never waited on it
    assertThat(h.client().droppedCount()).isGreaterThan(4000);
  }

  @Test
  void jdkHttpClientLogsRoutedToTheAppenderCauseNoFeedbackLoop() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ArgusServer.javaBin());
    cmd.add("-Djdk.httpclient.HttpClient.log=all");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RecursionProbe.class.getName());
    cmd.add(framework());
    cmd.add(server.url());
    cmd.add(server.apiKey());
    cmd.add(source);
    cmd.add("25");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).as("the JDK client's own records reached the framework").contains("jdk-records>0");
    List<JsonNode> events = stored();
    assertThat(events).as(out).hasSize(25);
    for (JsonNode e : events) {
      assertThat(e.get("message").asText()).startsWith("probe ");
      assertThat(e.get("data").get("logger").asText()).doesNotStartWith("jdk").doesNotStartWith("sun.net");
    }
  }
}
