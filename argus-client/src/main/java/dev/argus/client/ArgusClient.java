package dev.argus.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends events to an Argus server: {@link #send} one at a time and waiting for the commit, or
 * {@link #enqueue} into a bounded batch pipeline drained by daemon threads. Never throws into
 * the caller. A circuit breaker stops waiting on a server that keeps failing; an optional spool
 * keeps what could not be delivered on disk and replays it in order once the server answers.
 * Every event carries a uuid, so the re-sends this does are stored once.
 */
public final class ArgusClient implements AutoCloseable {

  private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

  private final ArgusClientConfig config;
  private final ArgusDiagnostics diagnostics;
  private final HttpSender http;
  private final CircuitBreaker breaker;
  private final Spool spool;
  private final WarnThrottle warnings;
  private final ArrayBlockingQueue<ArgusEvent> queue;
  private final List<Thread> senders = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Thread replayer;
  private final Object progress = new Object();
  private final Object replaySignal = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder spooled = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private volatile boolean flushRequested;
  private volatile boolean closing;
  private volatile boolean stopped;

  private ArgusClient(ArgusClientConfig config) {
    this.config = config;
    this.diagnostics = config.diagnostics();
    for (String a : config.adjustments()) {
      diagnostics.warn(a, null);
    }
    this.http = new HttpSender(config);
    this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerCooldown().toNanos(),
        diagnostics);
    this.spool = config.spoolDir() == null ? null
        : new Spool(config.spoolDir(), config.spoolMaxBytes(), diagnostics);
    this.warnings = new WarnThrottle(diagnostics, 10_000_000_000L);
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.replayer = spool == null ? null
        : ArgusThreads.factory("argus-spool-").newThread(this::replayLoop);
    if (replayer != null) {
      replayer.start();
    }
  }

  /** Creates a client; threads start lazily (batch senders on first enqueue). */
  public static ArgusClient create(ArgusClientConfig config) {
    return new ArgusClient(config);
  }

  /** The settings this client runs with. */
  public ArgusClientConfig config() {
    return config;
  }

  /**
   * Sends one event and waits (at most the timeout) for the server's 201/200. Never throws.
   * Returns true when the server stored it; false otherwise (then spooled if a spool is set).
   * While the circuit breaker is open this returns false at once without touching the network.
   */
  public boolean send(ArgusEvent event) {
    Boolean outer = SENDING.get();
    SENDING.set(Boolean.TRUE);
    try {
      String json = event.toJson(config.source());
      if (stopped || !breaker.allow()) {
        spoolOrDrop(Collections.singletonList(json), "server unavailable");
        return false;
      }
      HttpSender.Result r = http.postOne(json);
      switch (r.outcome) {
        case STORED:
          breaker.success();
          sent.increment();
          wakeReplayer();
          return true;
        case REJECTED:
          breaker.success();
          rejected.increment();
          warnings.warn("server rejected an event: " + r.detail, null);
          return false;
        default:
          breaker.failure(r.detail);
          spoolOrDrop(Collections.singletonList(json), r.detail);
          return false;
      }
    } catch (RuntimeException | Error e) {
      warnings.warn("unexpected failure while sending", e);
      return false;
    } finally {
      if (outer == null) {
        SENDING.remove();
      }
    }
  }

  /** Non-blocking hand-off to the batch pipeline; false (and counted) when the queue is full. */
  public boolean enqueue(ArgusEvent event) {
    if (closing) {
      dropped.increment();
      return false;
    }
    if (senders.isEmpty()) {
      startSenders();
    }
    if (!queue.offer(event)) {
      dropped.increment();
      warnings.warn("batch queue full (" + config.queueCapacity() + " events); dropping", null);
      return false;
    }
    accepted.incrementAndGet();
    return true;
  }

  /** Sends everything queued so far, waiting at most {@code max}. */
  public void flush(Duration max) {
    long target = accepted.get();
    long deadline = System.nanoTime() + max.toNanos();
    flushRequested = true;
    try {
      synchronized (progress) {
        while (completed.get() < target) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || senders.isEmpty()) {
            break;
          }
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      flushRequested = false;
    }
  }

  /** Events dropped so far: queue full, closed, rejected by the server, or undeliverable. */
  public long droppedCount() {
    return dropped.sum();
  }

  /** Events the server acknowledged (not counting spool replays). */
  public long sentCount() {
    return sent.sum();
  }

  /** Events written to the spool. */
  public long spooledCount() {
    return spooled.sum();
  }

  /** Events the server refused as invalid (4xx other than auth/throttling). */
  public long rejectedCount() {
    return rejected.sum();
  }

  /** True while the circuit breaker is open (the server failed repeatedly). */
  public boolean isBreakerOpen() {
    return breaker.isOpen();
  }

  /** True when a spool is configured and holds events not yet acknowledged by the server. */
  public boolean hasSpooledEvents() {
    return spool != null && !spool.isEmpty();
  }

  /** HTTP exchanges running now (tests). */
  int inFlightForTests() {
    return http.inFlight();
  }

  /** True while the current thread is inside the client's own sending code (recursion guard). */
  public static boolean isSendingThread() {
    return SENDING.get() != null;
  }

  /**
   * True for a log event the client itself caused: logged on a thread that is sending, on one of
   * its own {@code argus-} threads, or by the JDK HTTP stack. A logging adapter that shipped such
   * events would feed back forever.
   */
  public static boolean isOwnEvent(String threadName, String loggerName) {
    if (isSendingThread() || (threadName != null && threadName.startsWith("argus-"))) {
      return true;
    }
    return loggerName != null && (loggerName.startsWith("sun.net.www")
        || loggerName.startsWith("jdk.internal.httpclient") || loggerName.startsWith("jdk.httpclient")
        || loggerName.startsWith("java.net.http"));
  }

  static void markSendingThread() {
    SENDING.set(Boolean.TRUE);
  }

  /**
   * Drains the batch queue (bounded by twice the timeout plus the flush interval), stops the daemon
   * threads, then delivers what the spool holds: it tries the server at once, whatever the circuit
   * breaker says, and keeps trying for at most {@code closeTimeout}. What is still spooled after
   * that stays on disk for the next client on the same directory or {@code argus spool flush}.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    Boolean outer = SENDING.get();
    SENDING.set(Boolean.TRUE);
    try {
      flush(config.timeout().multipliedBy(2).plus(config.flushInterval()));
      stopped = true;
      for (Thread t : senders) {
        t.interrupt();
      }
      for (Thread t : senders) {
        t.join(config.timeout().toMillis() + 1000);
      }
      List<ArgusEvent> left = new ArrayList<>();
      queue.drainTo(left);
      if (!left.isEmpty()) {
        List<String> lines = new ArrayList<>(left.size());
        for (ArgusEvent e : left) {
          lines.add(e.toJson(config.source()));
        }
        spoolOrDrop(lines, "client closed before delivery");
      }
      if (replayer != null) {
        replayer.interrupt();
        replayer.join(config.timeout().toMillis() + 1000);
        if (!replayer.isAlive()) {
          drainSpoolOnClose();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (spool != null) {
        spool.close();
      }
      http.close();
      if (outer == null) {
        SENDING.remove();
      }
    }
  }

  /** The spool drain of {@link #close()}: in order, ignoring the breaker, within closeTimeout. */
  private void drainSpoolOnClose() throws InterruptedException {
    long budget = config.closeTimeout().toNanos();
    if (budget <= 0 || spool.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + budget;
    long backoffMs = 50;
    String lastFailure = null;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      SpoolReplay.Step step = SpoolReplay.replayOne(spool, http, config.batchSize(), left, this::onSpoolReject);
      if (step.kind == SpoolReplay.Kind.EMPTY) {
        return;
      }
      if (step.kind == SpoolReplay.Kind.DELIVERED) {
        backoffMs = 50;
        continue;
      }
      lastFailure = step.detail;
      long sleep = Math.min(backoffMs, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
      backoffMs = Math.min(backoffMs * 2, 1000);
    }
    if (!spool.isEmpty()) {
      diagnostics.warn("closing with events still in the spool " + config.spoolDir() + " after "
          + config.closeTimeout().toMillis() + " ms (last failure: " + lastFailure
          + "); the next client on this directory replays them, or run: argus spool flush "
          + config.spoolDir(), null);
    }
  }

  private void onSpoolReject(String detail) {
    rejected.increment();
    dropped.increment();
    warnings.warn("server rejected a spooled event; discarding it: " + detail, null);
  }

  private synchronized void startSenders() {
    if (!senders.isEmpty() || closing) {
      return;
    }
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < config.senderThreads(); i++) {
      Thread t = ArgusThreads.factory("argus-sender-").newThread(this::senderLoop);
      started.add(t);
    }
    senders.addAll(started);
    for (Thread t : started) {
      t.start();
    }
  }

  private void senderLoop() {
    int max = config.batchSize();
    long linger = config.flushInterval().toNanos();
    List<ArgusEvent> batch = new ArrayList<>(max);
    while (!stopped) {
      try {
        ArgusEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + linger;
        while (batch.size() < max) {
          queue.drainTo(batch, max - batch.size());
          if (batch.size() >= max || flushRequested || closing) {
            break;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          ArgusEvent e = queue.poll(Math.min(left, 20_000_000L), TimeUnit.NANOSECONDS);
          if (e != null) {
            batch.add(e);
          }
        }
      } catch (InterruptedException e) {
        if (stopped) {
          queue.drainTo(batch, max - batch.size());
        }
      }
      if (!batch.isEmpty()) {
        try {
          deliverBatch(batch);
        } catch (RuntimeException | Error e) {
          warnings.warn("unexpected failure in batch sender", e);
          dropped.add(batch.size());
        }
        completed.addAndGet(batch.size());
        batch.clear();
        synchronized (progress) {
          progress.notifyAll();
        }
      }
    }
  }

  private void deliverBatch(List<ArgusEvent> batch) {
    List<String> lines = new ArrayList<>(batch.size());
    for (ArgusEvent e : batch) {
      lines.add(e.toJson(config.source()));
    }
    long backoffMs = 100;
    for (int attempt = 0; ; attempt++) {
      if (!breaker.allow()) {
        spoolOrDrop(lines, "server unavailable");
        return;
      }
      HttpSender.Result r = http.postBatch(jsonArray(lines));
      if (r.outcome == HttpSender.Outcome.STORED) {
        breaker.success();
        sent.add(lines.size());
        wakeReplayer();
        return;
      }
      if (r.outcome == HttpSender.Outcome.REJECTED) {
        breaker.success();
        sendIndividually(lines, r.detail);
        return;
      }
      breaker.failure(r.detail);
      // Re-sending the same batch is safe: every element carries its uuid.
      if (spool != null || attempt >= 2 || closing || stopped) {
        spoolOrDrop(lines, r.detail);
        return;
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        spoolOrDrop(lines, r.detail);
        return;
      }
      backoffMs *= 2;
    }
  }

  /** A batch is all-or-nothing on the server: find and drop only the events it refuses. */
  private void sendIndividually(List<String> lines, String batchDetail) {
    for (String line : lines) {
      HttpSender.Result r = http.postOne(line);
      if (r.outcome == HttpSender.Outcome.STORED) {
        sent.increment();
      } else if (r.outcome == HttpSender.Outcome.REJECTED) {
        rejected.increment();
        dropped.increment();
        warnings.warn("server rejected an event: " + r.detail, null);
      } else {
        breaker.failure(r.detail);
        spoolOrDrop(Collections.singletonList(line), r.detail);
      }
    }
  }

  private void spoolOrDrop(List<String> lines, String why) {
    if (spool != null && spool.append(lines)) {
      spooled.add(lines.size());
      return;
    }
    dropped.add(lines.size());
    warnings.warn("dropping " + lines.size() + " event(s): " + why
        + (spool == null ? " (no spool configured)" : " (spool unavailable or full)"), null);
  }

  private void wakeReplayer() {
    if (replayer != null) {
      synchronized (replaySignal) {
        replaySignal.notifyAll();
      }
    }
  }

  private void replayLoop() {
    long idleMs = 1000;
    while (!stopped) {
      boolean progressMade = false;
      try {
        progressMade = replayOnce();
      } catch (RuntimeException | Error e) {
        warnings.warn("unexpected failure while replaying the spool", e);
      }
      if (progressMade) {
        continue;
      }
      try {
        synchronized (replaySignal) {
          replaySignal.wait(Math.min(idleMs, Math.max(10, config.breakerCooldown().toMillis())));
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends the oldest spooled chunk; true when something was acknowledged. */
  private boolean replayOnce() {
    if (spool.isEmpty() || !breaker.allow()) {
      return false;
    }
    SpoolReplay.Step step = SpoolReplay.replayOne(spool, http, config.batchSize(),
        config.timeout().toNanos(), this::onSpoolReject);
    switch (step.kind) {
      case DELIVERED:
        breaker.success();
        return true;
      case EMPTY:
        breaker.releaseProbe();
        return false;
      default:
        breaker.failure(step.detail);
        return false;
    }
  }

  static String jsonArray(List<String> lines) {
    int len = 2;
    for (String l : lines) {
      len += l.length() + 1;
    }
    StringBuilder sb = new StringBuilder(len);
    sb.append('[');
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(lines.get(i));
    }
    return sb.append(']').toString();
  }
}
