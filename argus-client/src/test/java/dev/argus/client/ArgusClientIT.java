package dev.argus.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ArgusClientIT {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort()).build();

  private static final Pattern UUID = Pattern.compile("\"uuid\":\"([^\"]+)\"");
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  private ArgusClientConfig.Builder config() {
    return ArgusClientConfig.builder().url(wm.baseUrl()).apiKey("k").source("test")
        .timeout(Duration.ofMillis(5000)).connectTimeout(Duration.ofMillis(2000))
        .breakerCooldown(Duration.ofMillis(300))
        .diagnostics(new ArgusDiagnostics() {
          @Override
          public void warn(String message, Throwable error) {
            warnings.add(message);
          }

          @Override
          public void info(String message) {}
        });
  }

  private static void storeEverything() {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(
        aResponse().withStatus(201).withBody("{\"status\":\"captured\",\"event_id\":1}")));
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(
        aResponse().withStatus(201).withBody("{\"status\":\"captured\",\"event_ids\":[]}")));
  }

  private static ArgusEvent event(int i) {
    return ArgusEvent.builder("log").level("info").message("m" + i).build();
  }

  /** uuid -> how many times the server answered 2xx for a request containing it. */
  private static Map<String, Integer> acknowledgedUuids() {
    Map<String, Integer> out = new HashMap<>();
    for (ServeEvent se : wm.getAllServeEvents()) {
      int s = se.getResponse().getStatus();
      if (s == 200 || s == 201) {
        Matcher m = UUID.matcher(se.getRequest().getBodyAsString());
        while (m.find()) {
          out.merge(m.group(1), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  private static void await(BooleanSupplier cond, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + max);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void syncSendReturnsTrueOnCapturedAndOnDuplicate() {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(okJson("{\"status\":\"duplicate\",\"event_id\":7}")));
    try (ArgusClient c = ArgusClient.create(config().build())) {
      assertThat(c.send(event(1))).isTrue();
    }
    storeEverything();
    try (ArgusClient c = ArgusClient.create(config().build())) {
      assertThat(c.send(event(2))).isTrue();
      assertThat(c.sentCount()).isEqualTo(1);
    }
    ServeEvent last = wm.getAllServeEvents().get(0);
    assertThat(last.getRequest().getHeader("X-API-Key")).isEqualTo("k");
    assertThat(last.getRequest().getHeader("Content-Type")).startsWith("application/json");
  }

  @Test
  void serverErrorsAndThrottlingCountAsFailuresAndOpenTheBreaker() {
    for (int status : new int[] {500, 503, 429}) {
      wm.resetAll();
      wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(status)));
      try (ArgusClient c = ArgusClient.create(config().breakerFailures(2).build())) {
        assertThat(c.send(event(1))).isFalse();
        assertThat(c.isBreakerOpen()).isFalse();
        assertThat(c.send(event(2))).isFalse();
        assertThat(c.isBreakerOpen()).isTrue();
        assertThat(c.droppedCount()).isEqualTo(2);
        c.send(event(3));
        assertThat(wm.getAllServeEvents()).hasSize(2); // the open breaker did not call the server
      }
    }
  }

  @Test
  void invalidEventIsRejectedWithoutOpeningTheBreaker() {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(422)
        .withBody("{\"code\":422,\"message\":\"bad\"}")));
    try (ArgusClient c = ArgusClient.create(config().breakerFailures(1).build())) {
      assertThat(c.send(event(1))).isFalse();
      assertThat(c.isBreakerOpen()).isFalse();
      assertThat(c.rejectedCount()).isEqualTo(1);
      assertThat(warnings).anyMatch(w -> w.contains("422"));
    }
  }

  @Test
  void slowServerCostsAtMostTheTimeout() {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(201).withFixedDelay(5000)));
    try (ArgusClient c = ArgusClient.create(config().timeout(Duration.ofMillis(300)).build())) {
      long t0 = System.nanoTime();
      assertThat(c.send(event(1))).isFalse();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isLessThan(3000); // bound is 300 ms; generous for a loaded machine
    }
  }

  @Test
  void refusedConnectionOpensTheBreakerAfterWhichSendsAreCheap() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ArgusClientConfig cfg = config().url("http://127.0.0.1:" + port).timeout(Duration.ofMillis(2000))
        .breakerCooldown(Duration.ofSeconds(60)).build();
    try (ArgusClient c = ArgusClient.create(cfg)) {
      for (int i = 0; i < 3; i++) {
        c.send(event(i));
      }
      assertThat(c.isBreakerOpen()).isTrue();
      long t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        assertThat(c.send(event(i))).isFalse();
      }
      long perCallMs = (System.nanoTime() - t0) / 100 / 1_000_000;
      assertThat(perCallMs).isLessThan(200); // timeout is 2000 ms; an open breaker never waits
    }
  }

  @Test
  void spoolReplaysEverythingOnceAfterRecovery(@TempDir Path dir) throws Exception {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(503)));
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(503)));
    Set<String> uuids = new HashSet<>();
    try (ArgusClient c = ArgusClient.create(config().spoolDir(dir).batchSize(7).build())) {
      for (int i = 0; i < 50; i++) {
        ArgusEvent e = event(i);
        uuids.add(e.uuid());
        assertThat(c.send(e)).isFalse();
      }
      assertThat(c.spooledCount()).isEqualTo(50);
      assertThat(c.droppedCount()).isZero();
      assertThat(acknowledgedUuids()).isEmpty();
      storeEverything();
      await(() -> !c.hasSpooledEvents(), Duration.ofSeconds(20));
    }
    Map<String, Integer> acked = acknowledgedUuids();
    assertThat(acked.keySet()).isEqualTo(uuids);
    assertThat(acked.values()).allMatch(n -> n == 1);
    // replayed in order: the acknowledged batches list the messages in the order they were spooled
    List<Integer> order = new ArrayList<>();
    List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
    java.util.Collections.reverse(events);
    for (ServeEvent se : events) {
      if (se.getResponse().getStatus() == 201) {
        Matcher m = Pattern.compile("\"message\":\"m(\\d+)\"").matcher(se.getRequest().getBodyAsString());
        while (m.find()) {
          order.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    assertThat(order).isSorted().hasSize(50);
  }

  @Test
  void spoolSurvivesARestartOfTheClient(@TempDir Path dir) throws Exception {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(500)));
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(500)));
    Set<String> uuids = new HashSet<>();
    try (ArgusClient c = ArgusClient.create(config().spoolDir(dir).breakerCooldown(Duration.ofSeconds(60)).build())) {
      for (int i = 0; i < 10; i++) {
        ArgusEvent e = event(i);
        uuids.add(e.uuid());
        c.send(e);
      }
    }
    storeEverything();
    try (ArgusClient c = ArgusClient.create(config().spoolDir(dir).build())) {
      await(() -> !c.hasSpooledEvents(), Duration.ofSeconds(20));
    }
    assertThat(acknowledgedUuids().keySet()).isEqualTo(uuids);
  }

  @Test
  void batchModeDeliversEverythingOnClose() {
    storeEverything();
    Set<String> uuids = new HashSet<>();
    try (ArgusClient c = ArgusClient.create(config().batchSize(100).flushInterval(Duration.ofSeconds(30)).build())) {
      for (int i = 0; i < 1234; i++) {
        ArgusEvent e = event(i);
        uuids.add(e.uuid());
        assertThat(c.enqueue(e)).isTrue();
      }
    }
    Map<String, Integer> acked = acknowledgedUuids();
    assertThat(acked.keySet()).isEqualTo(uuids);
    assertThat(acked.values()).allMatch(n -> n == 1);
    assertThat(wm.getAllServeEvents()).allMatch(se -> se.getRequest().getUrl().equals("/events/batch"));
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlocking() {
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(201).withFixedDelay(2000)));
    try (ArgusClient c = ArgusClient.create(config().queueCapacity(10).batchSize(5)
        .timeout(Duration.ofMillis(3000)).build())) {
      long t0 = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 1000; i++) {
        if (c.enqueue(event(i))) {
          accepted++;
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isLessThan(1500); // the server takes 2 s per batch; enqueue never waits on it
      assertThat(c.droppedCount()).isEqualTo(1000 - accepted).isGreaterThan(900);
    }
  }

  @Test
  void rejectedBatchIsRetriedPerEventSoOnlyTheBadOneIsLost() {
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(422)));
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(201)));
    wm.stubFor(post(urlEqualTo("/events")).withRequestBody(
        com.github.tomakehurst.wiremock.client.WireMock.containing("\"message\":\"m3\""))
        .willReturn(aResponse().withStatus(422)));
    try (ArgusClient c = ArgusClient.create(config().build())) {
      for (int i = 0; i < 5; i++) {
        c.enqueue(event(i));
      }
      c.flush(Duration.ofSeconds(10));
      assertThat(c.sentCount()).isEqualTo(4);
      assertThat(c.rejectedCount()).isEqualTo(1);
    }
  }

  @Test
  void closeDeliversTheSpoolAtOnceWhateverTheBreakerSays(@TempDir Path dir) {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(503)));
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(503)));
    Set<String> uuids = new HashSet<>();
    ArgusClient c = ArgusClient.create(config().spoolDir(dir).breakerCooldown(Duration.ofSeconds(600))
        .batchSize(50).closeTimeout(Duration.ofSeconds(30)).build());
    for (int i = 0; i < 300; i++) {
      ArgusEvent e = event(i);
      uuids.add(e.uuid());
      c.send(e);
    }
    assertThat(c.isBreakerOpen()).isTrue();
    assertThat(c.spooledCount()).isEqualTo(300);
    storeEverything(); // the server is back, but the breaker would wait ten minutes
    long t0 = System.nanoTime();
    c.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Map<String, Integer> acked = acknowledgedUuids();
    assertThat(acked.keySet()).isEqualTo(uuids);
    assertThat(acked.values()).allMatch(n -> n == 1);
    assertThat(ms).isLessThan(30_000);
    assertThat(SpoolFlush.flush(config().spoolDir(dir).build(), Duration.ZERO).delivered())
        .as("nothing left in the spool").isZero();
  }

  @Test
  void closeWithTheServerStillDownReturnsWithinTheCloseTimeoutAndKeepsTheSpool(@TempDir Path dir)
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ArgusClientConfig cfg = config().url("http://127.0.0.1:" + port).spoolDir(dir)
        .closeTimeout(Duration.ofMillis(1500)).build();
    ArgusClient c = ArgusClient.create(cfg);
    for (int i = 0; i < 20; i++) {
      c.send(event(i));
    }
    long t0 = System.nanoTime();
    c.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isBetween(1000L, 1500L + 3000L); // it kept trying, and stopped at the bound
    assertThat(warnings).anyMatch(w -> w.contains("argus spool flush " + dir));
    assertThat(c.spooledCount()).isEqualTo(20);
  }

  @Test
  void spoolFlushReplaysASpoolLeftBehindOnceAndEmptiesIt(@TempDir Path dir) throws Exception {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(500)));
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(500)));
    Set<String> uuids = new HashSet<>();
    try (ArgusClient c = ArgusClient.create(config().spoolDir(dir).closeTimeout(Duration.ZERO).build())) {
      for (int i = 0; i < 120; i++) {
        ArgusEvent e = event(i);
        uuids.add(e.uuid());
        c.send(e);
      }
    }
    assertThat(acknowledgedUuids()).isEmpty();
    // still down: the flush reports the failure and keeps everything
    SpoolFlush.Result down = SpoolFlush.flush(config().spoolDir(dir).build(), Duration.ZERO);
    assertThat(down.status()).isEqualTo(SpoolFlush.Status.FAILED);
    assertThat(down.remainingBytes()).isPositive();
    storeEverything();
    SpoolFlush.Result r = SpoolFlush.flush(config().spoolDir(dir).batchSize(50).build(), Duration.ofSeconds(10));
    assertThat(r.status()).isEqualTo(SpoolFlush.Status.FLUSHED);
    assertThat(r.delivered()).isEqualTo(120);
    assertThat(r.remainingBytes()).isZero();
    Map<String, Integer> acked = acknowledgedUuids();
    assertThat(acked.keySet()).isEqualTo(uuids);
    assertThat(acked.values()).allMatch(n -> n == 1);
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("segment-"));
    }
  }

  @Test
  void spoolFlushLeavesASpoolInUseToItsOwner(@TempDir Path dir) {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(500)));
    wm.stubFor(post(urlEqualTo("/events/batch")).willReturn(aResponse().withStatus(500)));
    try (ArgusClient c = ArgusClient.create(config().spoolDir(dir).closeTimeout(Duration.ZERO)
        .breakerCooldown(Duration.ofSeconds(600)).build())) {
      for (int i = 0; i < 5; i++) {
        c.send(event(i));
      }
      storeEverything();
      SpoolFlush.Result r = SpoolFlush.flush(config().spoolDir(dir).build(), Duration.ZERO);
      assertThat(r.status()).isEqualTo(SpoolFlush.Status.LOCKED);
      assertThat(r.delivered()).isZero();
      assertThat(acknowledgedUuids()).isEmpty();
    }
    assertThat(SpoolFlush.flush(config().spoolDir(dir).build(), Duration.ZERO).status())
        .isEqualTo(SpoolFlush.Status.FLUSHED);
    assertThat(acknowledgedUuids()).hasSize(5);
    assertThat(SpoolFlush.flush(config().spoolDir(dir.resolve("missing")).build(), Duration.ZERO).status())
        .isEqualTo(SpoolFlush.Status.UNAVAILABLE);
  }

  @Test
  void marksItsOwnThreadsAsSending() throws Exception {
    List<Boolean> seen = new CopyOnWriteArrayList<>();
    Thread t = ArgusThreads.factory("argus-test-").newThread(() -> seen.add(ArgusClient.isSendingThread()));
    t.start();
    t.join();
    assertThat(seen).containsExactly(true);
    assertThat(t.getName()).startsWith("argus-test-");
    assertThat(t.isDaemon()).isTrue();
    assertThat(ArgusClient.isSendingThread()).isFalse();
  }
}
