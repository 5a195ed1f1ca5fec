package dev.argus.log4j2;

import dev.argus.client.LogEntry;
import dev.argus.client.MarkerNames;
import dev.argus.client.Throwables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

/**
 * One Log4j2 event read as a {@link LogEntry} (SPEC §9). Read inside {@code append}, before the
 * event (possibly a reused ring-buffer event of an async logger) is handed back.
 */
final class Log4j2Entry extends LogEntry {

  private final LogEvent event;

  Log4j2Entry(LogEvent event) {
    super(level(event.getLevel()), message(event.getMessage()), timestamp(event),
        event.getLoggerName(), event.getThreadName());
    this.event = event;
  }

  static String level(Level level) {
    int l = level.intLevel();
    if (l <= Level.FATAL.intLevel()) {
      return "fatal";
    } else if (l <= Level.ERROR.intLevel()) {
      return "error";
    } else if (l <= Level.WARN.intLevel()) {
      return "warn";
    } else if (l <= Level.INFO.intLevel()) {
      return "info";
    } else if (l <= Level.DEBUG.intLevel()) {
      return "debug";
    }
    return "trace";
  }

  private static String message(Message msg) {
    return msg == null ? null : msg.getFormattedMessage();
  }

  private static Instant timestamp(LogEvent event) {
    org.apache.logging.log4j.core.time.Instant t = event.getInstant();
    return t == null ? Instant.ofEpochMilli(event.getTimeMillis())
        : Instant.ofEpochSecond(t.getEpochSecond(), t.getNanoOfSecond());
  }

  @Override
  public void forEachContext(BiConsumer<String, String> action) {
    ReadOnlyStringMap context = event.getContextData();
    if (context != null && !context.isEmpty()) {
      context.forEach((k, v) -> action.accept(k, v == null ? null : String.valueOf(v)));
    }
  }

  @Override
  public List<String> contextStack() {
    ThreadContext.ContextStack stack = event.getContextStack();
    return stack != null && stack.getDepth() > 0 ? new ArrayList<>(stack.asList()) : null;
  }

  @Override
  public Map<String, Object> keyValues() {
    Message msg = event.getMessage();
    if (!(msg instanceof MapMessage)) {
      return null;
    }
    Map<String, Object> kv = new LinkedHashMap<>();
    ((MapMessage<?, ?>) msg).forEach((k, v) -> kv.put(k, v));
    return kv;
  }

  @Override
  public List<String> markerNames() {
    Marker marker = event.getMarker();
    if (marker == null) {
      return null;
    }
    return MarkerNames.of(Collections.singletonList(marker).iterator(), Marker::getName,
        Log4j2Entry::parents);
  }

  private static Iterator<Marker> parents(Marker m) {
    Marker[] parents = m.getParents();
    return parents == null ? null : Arrays.asList(parents).iterator();
  }

  @Override
  public StackTraceElement caller() {
    return event.getSource();
  }

  @Override
  public Map<String, Object> exception(int maxFrames) {
    return Throwables.toData(event.getThrown(), maxFrames);
  }
}
