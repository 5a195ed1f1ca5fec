package dev.argus.client;

import java.util.concurrent.TimeUnit;

/**
 * The client's {@code argus-spool-N} thread: replays the spool oldest chunk first whenever the
 * server answers (woken by any delivery, or probing once per breaker cooldown), and on close
 * drains it within {@code closeTimeout}, trying the server whatever the circuit breaker says.
 */
final class SpoolReplayer {

  private final Delivery delivery;
  private final ArgusClientConfig config;
  private final Spool spool;
  private final Thread thread;

  SpoolReplayer(Delivery delivery) {
    this.delivery = delivery;
    this.config = delivery.config;
    this.spool = delivery.spool;
    this.thread = ArgusThreads.factory("argus-spool-").newThread(this::loop);
  }

  void start() {
    thread.start();
  }

  /**
   * Stops the thread (after {@link Delivery#stop()}), then delivers what the spool holds within
   * {@code closeTimeout}; what is left stays on disk for the next client or
   * {@code argus spool flush}.
   */
  void close() throws InterruptedException {
    thread.interrupt();
    thread.join(config.timeout().toMillis() + 1000);
    if (!thread.isAlive()) {
      drainOnClose();
    }
  }

  private void loop() {
    long idleMs = 1000;
    while (!delivery.isStopped()) {
      boolean progressMade = false;
      try {
        progressMade = replayOnce();
      } catch (RuntimeException | Error e) {
        delivery.warnings.warn("unexpected failure while replaying the spool", e);
      }
      if (progressMade) {
        continue;
      }
      try {
        delivery.awaitReplayWake(Math.min(idleMs, Math.max(10, config.breakerCooldown().toMillis())));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends the oldest spooled chunk; true when something was acknowledged. */
  private boolean replayOnce() {
    if (spool.isEmpty() || !delivery.breaker.allow()) {
      return false;
    }
    SpoolReplay.Step step = SpoolReplay.replayOne(spool, delivery.http, config.batchSize(),
        config.timeout().toNanos(), this::onReject);
    switch (step.kind) {
      case DELIVERED:
        delivery.breaker.success();
        return true;
      case EMPTY:
        delivery.breaker.releaseProbe();
        return false;
      default:
        delivery.breaker.failure(step.detail);
        return false;
    }
  }

  /** In order, ignoring the breaker, within closeTimeout. */
  private void drainOnClose() throws InterruptedException {
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
      SpoolReplay.Step step = SpoolReplay.replayOne(spool, delivery.http, config.batchSize(), left,
          this::onReject);
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
      delivery.diagnostics.warn("closing with events still in the spool " + config.spoolDir()
          + " after " + config.closeTimeout().toMillis() + " ms (last failure: " + lastFailure
          + "); the next client on this directory replays them, or run: argus spool flush "
          + config.spoolDir(), null);
    }
  }

  private void onReject(String detail) {
    delivery.discarded("server rejected a spooled event; discarding it: " + detail);
  }
}
