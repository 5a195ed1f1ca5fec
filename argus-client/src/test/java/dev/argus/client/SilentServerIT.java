package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host never pays for a server that accepts connections and then says nothing: a plain
 * {@link ServerSocket} that accepts and never reads or answers. The client's threads stay within
 * {@code maxInFlight}, every call returns within its timeout, and a request stuck in a write that
 * the server never reads is aborted by the waiting side.
 */
class SilentServerIT {

  private ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private Thread acceptor;

  @BeforeEach
  void startSilentServer() throws IOException {
    server = new ServerSocket(0, 1000);
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          s.setReceiveBufferSize(4096);
          accepted.add(s); // never read, never answered
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stopSilentServer() throws Exception {
    server.close();
    acceptor.join(5000);
    for (Socket s : accepted) {
      s.close();
    }
  }

  ArgusClientConfig.Builder config() {
    return ArgusClientConfig.builder().url("http://127.0.0.1:" + server.getLocalPort()).apiKey("k")
        .source("silent").diagnostics(ArgusDiagnostics.silent());
  }

  private static int argusThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("argus-")) {
        n++;
      }
    }
    return n;
  }

  private static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not reached within " + max);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void tenThousandSyncCallsKeepTheThreadCountBoundedAndEachCallWithinTheTimeout() throws Exception {
    int callers = 16;
    int perCaller = 625; // 10,000 calls in all
    long timeoutMs = 100;
    int maxInFlight = 4;
    // A breaker that lets many calls reach the network, so that the bound is what limits threads.
    ArgusClientConfig cfg = config().timeout(Duration.ofMillis(timeoutMs)).maxInFlight(maxInFlight)
        .breakerFailures(1000).breakerCooldown(Duration.ofMillis(10)).build();
    int jvmBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    AtomicInteger maxArgus = new AtomicInteger();
    AtomicInteger maxJvm = new AtomicInteger();
    AtomicLong slowest = new AtomicLong();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger returnedFalse = new AtomicInteger();
    try (ArgusClient client = ArgusClient.create(cfg)) {
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          maxArgus.accumulateAndGet(argusThreads(), Math::max);
          maxJvm.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "sampler");
      sampler.setDaemon(true);
      sampler.start();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Thread t = new Thread(() -> {
          for (int j = 0; j < perCaller; j++) {
            long t0 = System.nanoTime();
            boolean ok = client.send(ArgusEvent.builder("log").message("m" + j).build());
            slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            calls.incrementAndGet();
            if (!ok) {
              returnedFalse.incrementAndGet();
            }
          }
        }, "caller-" + i);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(600_000);
      }
      // after the calls: nothing lingers beyond the bound, and the stuck exchanges end
      await(() -> client.inFlightForTests() == 0, Duration.ofSeconds(30), "all exchanges ended");
      maxArgus.accumulateAndGet(argusThreads(), Math::max);
      sampler.interrupt();
      sampler.join(5000);
    }
    System.out.printf("silent server: %d calls, %d connections accepted, max %d argus threads, "
        + "max %d JVM threads (before %d), slowest call %d ms (timeout %d ms)%n", calls.get(),
        accepted.size(), maxArgus.get(), maxJvm.get(), jvmBefore, slowest.get(), timeoutMs);
    assertThat(calls.get()).isEqualTo(callers * perCaller);
    assertThat(returnedFalse.get()).isEqualTo(callers * perCaller);
    assertThat(maxArgus.get()).as("argus threads at any time").isLessThanOrEqualTo(maxInFlight);
    // the JVM's own count: callers + sampler + the client's bound + a few JDK helpers
    assertThat(maxJvm.get()).as("JVM threads (before: %d)", jvmBefore)
        .isLessThanOrEqualTo(jvmBefore + callers + 1 + maxInFlight + 5);
    assertThat(slowest.get()).as("slowest call in ms (timeout %d)", timeoutMs).isLessThan(timeoutMs + 1000);
  }

  @Test
  void aRequestStuckInAWriteTheServerNeverReadsIsAbortedByTheWaitingSide() throws Exception {
    ArgusClientConfig cfg = config().timeout(Duration.ofMillis(300)).maxInFlight(2).build();
    HttpSender http = new HttpSender(cfg);
    try {
      // far more than the socket buffers hold: the write blocks, and writes have no time-out
      StringBuilder big = new StringBuilder(16 * 1024 * 1024 + 16).append('[');
      while (big.length() < 16 * 1024 * 1024) {
        big.append("{\"event_type\":\"x\"},");
      }
      big.append("{\"event_type\":\"x\"}]");
      long t0 = System.nanoTime();
      HttpSender.Result r = http.postBatch(big.toString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.outcome).isEqualTo(HttpSender.Outcome.FAILED);
      assertThat(ms).as("bounded by the time-out, with room for a loaded machine").isLessThan(300 + 5000);
      // the pool thread does not sit in the blocked write until the server reads: it was aborted
      await(() -> http.inFlight() == 0, Duration.ofSeconds(30), "the stuck exchange ended");
    } finally {
      http.close();
    }
  }

  @Test
  void stuckCallsOpenTheBreakerAfterWhichCallsAreCheapAndStartNoThread() throws Exception {
    ArgusClientConfig cfg = config().timeout(Duration.ofMillis(500)).maxInFlight(1)
        .breakerFailures(2).breakerCooldown(Duration.ofSeconds(60)).build();
    try (ArgusClient client = ArgusClient.create(cfg)) {
      for (int i = 0; i < 2; i++) {
        long t0 = System.nanoTime();
        assertThat(client.send(ArgusEvent.builder("log").message("stuck " + i).build())).isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(500 + 1000);
      }
      assertThat(client.isBreakerOpen()).isTrue();
      long t1 = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        assertThat(client.send(ArgusEvent.builder("log").message("open " + i).build())).isFalse();
      }
      assertThat((System.nanoTime() - t1) / 1_000_000).as("1000 calls with the breaker open, ms")
          .isLessThan(2000);
      assertThat(argusThreads()).isLessThanOrEqualTo(1);
      assertThat(accepted).hasSizeLessThanOrEqualTo(2); // the open breaker never touched the network
    }
  }
}
