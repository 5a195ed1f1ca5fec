package dev.argus.it.appenders;

import dev.argus.client.ArgusClient;
import java.util.Map;

/** One Argus appender wired into its logging framework, driven the same way for both frameworks. */
interface AppenderHarness extends AutoCloseable {

  /** Logs at {@code level} (trace, debug, info, warn, error; fatal where the framework has it). */
  void log(String level, String message, Throwable error);

  /** Logs at info with context (MDC/ThreadContext), key-values, one marker and an exception. */
  void logRich(String message, Map<String, String> context, Map<String, Object> keyValues,
      String marker, Throwable error);

  /** Logs {@code message} at info on the logger {@code loggerName} of the same context. */
  void logAs(String loggerName, String message);

  /** The name of the logger events are produced on. */
  String loggerName();

  /** The client inside the running appender. */
  ArgusClient client();

  /** Stops the appender the way the framework does at shutdown (drains batch mode). */
  @Override
  void close();
}
