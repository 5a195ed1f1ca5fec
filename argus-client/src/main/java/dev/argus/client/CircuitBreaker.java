package dev.argus.client;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts consecutive failures; after {@code threshold} of them it stays open for the cooldown,
 * during which {@link #allow()} answers false at the cost of two volatile reads. After the
 * cooldown exactly one caller is let through as a probe; its outcome closes or re-opens it.
 */
final class CircuitBreaker {

  private final int threshold;
  private final long cooldownNanos;
  private final ArgusDiagnostics diagnostics;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile long openUntil;

  CircuitBreaker(int threshold, long cooldownNanos, ArgusDiagnostics diagnostics) {
    this.threshold = threshold;
    this.cooldownNanos = cooldownNanos;
    this.diagnostics = diagnostics;
  }

  boolean allow() {
    if (failures.get() < threshold) {
      return true;
    }
    return System.nanoTime() - openUntil >= 0 && probing.compareAndSet(false, true);
  }

  boolean isOpen() {
    return failures.get() >= threshold;
  }

  /** Gives back a probe permit that was not used for a request. */
  void releaseProbe() {
    probing.set(false);
  }

  void success() {
    int before = failures.getAndSet(0);
    probing.set(false);
    if (before >= threshold) {
      diagnostics.info("server answers again; circuit breaker closed");
    }
  }

  void failure(String why) {
    openUntil = System.nanoTime() + cooldownNanos;
    int n = failures.incrementAndGet();
    probing.set(false);
    if (n == threshold) {
      diagnostics.warn("circuit breaker open after " + n + " consecutive failures (last: " + why
          + "); not waiting on the server for " + cooldownNanos / 1_000_000 + " ms", null);
    }
  }
}
