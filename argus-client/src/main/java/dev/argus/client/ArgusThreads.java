package dev.argus.client;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code argus-…-N}, marked as sending threads for the recursion guard. */
final class ArgusThreads {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private ArgusThreads() {}

  static ThreadFactory factory(String prefix) {
    return r -> {
      Thread t = new Thread(() -> {
        RecursionGuard.markThread();
        r.run();
      }, prefix + COUNTER.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
