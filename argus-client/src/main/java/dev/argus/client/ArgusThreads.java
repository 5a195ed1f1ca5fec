package dev.argus.client;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code argus-…-N}, marked as sending threads for the recursion guard. */
final class ArgusThreads {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private ArgusThreads() {}

  /** (Anonymous classes, not lambdas: the Java agent builds this in a JVM that is starting.) */
  static ThreadFactory factory(String prefix) {
    return new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = new Thread(prefix + COUNTER.incrementAndGet()) {
          @Override
          public void run() {
            RecursionGuard.markThread();
            r.run();
          }
        };
        t.setDaemon(true);
        return t;
      }
    };
  }
}
