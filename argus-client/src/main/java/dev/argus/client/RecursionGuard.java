package dev.argus.client;

/**
 * Tells the client's own log events from the application's: an adapter that shipped a record
 * caused by sending (the JDK HTTP stack logs on the sending thread, or on one of the client's own
 * {@code argus-} threads) would feed back forever.
 */
final class RecursionGuard {

  /** Loggers of the JDK's HTTP stacks, which log on the thread that sends. */
  private static final String[] JDK_HTTP_LOGGERS = {
      "sun.net.www", "jdk.internal.httpclient", "jdk.httpclient", "java.net.http"};

  private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

  private RecursionGuard() {}

  /** Marks the current thread as sending; true when it was not already (pass that to exit). */
  static boolean enter() {
    if (SENDING.get() != null) {
      return false;
    }
    SENDING.set(Boolean.TRUE);
    return true;
  }

  /** Ends what {@link #enter()} started, when that call was the outermost. */
  static void exit(boolean entered) {
    if (entered) {
      SENDING.remove();
    }
  }

  /** Marks a thread of the client's own for its whole life. */
  static void markThread() {
    SENDING.set(Boolean.TRUE);
  }

  static boolean isSendingThread() {
    return SENDING.get() != null;
  }

  static boolean isOwnEvent(String threadName, String loggerName) {
    if (isSendingThread() || (threadName != null && threadName.startsWith("argus-"))) {
      return true;
    }
    if (loggerName != null) {
      for (String prefix : JDK_HTTP_LOGGERS) {
        if (loggerName.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }
}
