package dev.argus.client;

/**
 * Where the client reports its own problems. Appenders route this to their framework's status
 * channel (Logback's status manager, Log4j2's StatusLogger); the default writes to stderr.
 * Implementations must not log through the framework that feeds the client.
 */
public interface ArgusDiagnostics {

  /** A problem the user should know about; {@code error} may be null. */
  void warn(String message, Throwable error);

  /** A state change worth noting (breaker closed again, spool replayed). */
  void info(String message);

  /** Writes to {@link System#err} with an {@code [argus]} prefix. */
  static ArgusDiagnostics stderr() {
    return new ArgusDiagnostics() {
      @Override
      public void warn(String message, Throwable error) {
        System.err.println("[argus] WARN " + message + (error == null ? "" : ": " + error));
      }

      @Override
      public void info(String message) {
        System.err.println("[argus] INFO " + message);
      }
    };
  }

  /** Discards everything. */
  static ArgusDiagnostics silent() {
    return new ArgusDiagnostics() {
      @Override
      public void warn(String message, Throwable error) {}

      @Override
      public void info(String message) {}
    };
  }
}
