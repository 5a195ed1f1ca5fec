package dev.argus.client;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the sending paths of one client share: the HTTP sender, the circuit breaker, the optional
 * spool, the counters and the stop flag; and what each path does with an answer: count it, feed
 * the breaker, spool or drop what could not be delivered, wake the spool replayer.
 */
final class Delivery {

  final ArgusClientConfig config;
  final ArgusDiagnostics diagnostics;
  final HttpSender http;
  final CircuitBreaker breaker;
  /** Null when no spool is configured. */
  final Spool spool;
  final WarnThrottle warnings;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder spooled = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final Object replaySignal = new Object();
  private volatile boolean stopped;

  Delivery(ArgusClientConfig config) {
    this.config = config;
    this.diagnostics = config.diagnostics();
    this.http = new HttpSender(config);
    this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerCooldown().toNanos(),
        diagnostics);
    this.spool = config.spoolDir() == null ? null
        : new Spool(config.spoolDir(), config.spoolMaxBytes(), diagnostics);
    this.warnings = new WarnThrottle(diagnostics, 10_000_000_000L);
  }

  String json(ArgusEvent event) {
    return event.toJson(config.source());
  }

  /** The server holds {@code n} events: the breaker closes and the replayer may try the spool. */
  void stored(int n) {
    breaker.success();
    sent.add(n);
    wakeReplayer();
  }

  /** The server acknowledged one event outside a batch (the breaker was already told). */
  void storedOne() {
    sent.increment();
  }

  /** The server refused one sync event as invalid; it answered, so the breaker closes. */
  void refused(String detail) {
    breaker.success();
    rejected.increment();
    warnings.warn("server rejected an event: " + detail, null);
  }

  /** The server refused one event of a batch or of the spool as invalid; it is discarded. */
  void discarded(String warning) {
    rejected.increment();
    dropped.increment();
    warnings.warn(warning, null);
  }

  void dropped(int n) {
    dropped.add(n);
  }

  void spoolOrDrop(List<String> lines, String why) {
    if (spool != null && spool.append(lines)) {
      spooled.add(lines.size());
      return;
    }
    dropped.add(lines.size());
    warnings.warn("dropping " + lines.size() + " event(s): " + why
        + (spool == null ? " (no spool configured)" : " (spool unavailable or full)"), null);
  }

  void wakeReplayer() {
    if (spool != null) {
      synchronized (replaySignal) {
        replaySignal.notifyAll();
      }
    }
  }

  /** Waits until {@link #wakeReplayer()} or the time is up. */
  void awaitReplayWake(long millis) throws InterruptedException {
    synchronized (replaySignal) {
      replaySignal.wait(millis);
    }
  }

  /** From now on nothing waits on the server except the close-time spool drain. */
  void stop() {
    stopped = true;
  }

  boolean isStopped() {
    return stopped;
  }

  long droppedCount() {
    return dropped.sum();
  }

  long sentCount() {
    return sent.sum();
  }

  long spooledCount() {
    return spooled.sum();
  }

  long rejectedCount() {
    return rejected.sum();
  }

  /** Releases the spool's lock and stops the HTTP pool. */
  void close() {
    if (spool != null) {
      spool.close();
    }
    http.close();
  }
}
