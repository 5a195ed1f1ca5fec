package dev.argus.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One log event as {@link EventTemplate} reads it: the neutral parts an appender maps from its
 * framework's own event, read on the logging thread and without copying where it can.
 */
public interface LogEntry {

  /** trace, debug, info, warn, error or fatal. */
  String level();

  String message();

  Instant timestamp();

  String loggerName();

  String threadName();

  /** Passes every context (MDC, ThreadContext) entry; the template filters them. */
  void forEachContext(BiConsumer<String, String> action);

  /** The nested diagnostic context, or null where the framework has none. */
  default List<String> contextStack() {
    return null;
  }

  /** Structured key-values of the event, or null. */
  Map<String, Object> keyValues();

  /** Marker names, each followed by those it references (see {@link #markerNames}), or null. */
  List<String> markerNames();

  /** Where the log call was made, or null; asked only when caller data is wanted. */
  StackTraceElement caller();

  /** The event's exception as {@link Throwables} describes it, or null. */
  Map<String, Object> exception(int maxFrames);
}
