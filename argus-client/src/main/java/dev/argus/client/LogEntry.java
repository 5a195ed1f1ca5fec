package dev.argus.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One log event as {@link EventTemplate} reads it: the neutral parts an appender maps from its
 * framework's own event on the logging thread. The parts every event has are taken at once; the
 * rest is read on demand, without copying where the framework allows.
 */
public abstract class LogEntry {

  private final String level;
  private final String message;
  private final Instant timestamp;
  private final String loggerName;
  private final String threadName;

  /** {@code level} is trace, debug, info, warn, error or fatal. */
  protected LogEntry(String level, String message, Instant timestamp, String loggerName,
      String threadName) {
    this.level = level;
    this.message = message;
    this.timestamp = timestamp;
    this.loggerName = loggerName;
    this.threadName = threadName;
  }

  public final String level() {
    return level;
  }

  public final String message() {
    return message;
  }

  public final Instant timestamp() {
    return timestamp;
  }

  public final String loggerName() {
    return loggerName;
  }

  public final String threadName() {
    return threadName;
  }

  /** Passes every context (MDC, ThreadContext) entry; the template filters them. */
  public abstract void forEachContext(BiConsumer<String, String> action);

  /** The nested diagnostic context, or null where the framework has none. */
  public List<String> contextStack() {
    return null;
  }

  /** Structured key-values of the event, or null. */
  public abstract Map<String, Object> keyValues();

  /** Marker names, each followed by those it references ({@link MarkerNames}), or null. */
  public abstract List<String> markerNames();

  /** Where the log call was made, or null; asked only when caller data is wanted. */
  public abstract StackTraceElement caller();

  /** The event's exception as {@link Throwables} describes it, or null. */
  public abstract Map<String, Object> exception(int maxFrames);
}
