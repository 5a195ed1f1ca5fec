package dev.argus.client;

/**
 * Passes at most one warning per interval to the diagnostics sink and says how many it held back,
 * so that a dead server does not flood the host's status channel.
 */
final class WarnThrottle {

  private final ArgusDiagnostics diagnostics;
  private final long intervalNanos;
  private long last;
  private boolean any;
  private long suppressed;

  WarnThrottle(ArgusDiagnostics diagnostics, long intervalNanos) {
    this.diagnostics = diagnostics;
    this.intervalNanos = intervalNanos;
  }

  void warn(String message, Throwable error) {
    long held;
    synchronized (this) {
      long now = System.nanoTime();
      if (any && now - last < intervalNanos) {
        suppressed++;
        return;
      }
      any = true;
      last = now;
      held = suppressed;
      suppressed = 0;
    }
    try {
      diagnostics.warn(held == 0 ? message
          : message + " (" + held + " similar warning(s) suppressed)", error);
    } catch (RuntimeException ignored) {
      // a failing diagnostics sink must not break sending
    }
  }
}
