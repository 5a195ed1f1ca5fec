package dev.argus.log4j2;

import dev.argus.client.ArgusEvent;
import dev.argus.client.Throwables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

/**
 * Turns one Log4j2 event into an Argus event (SPEC §9). Runs inside {@code append}, before the
 * event (possibly a reused ring-buffer event of an async logger) is handed back.
 */
final class Log4j2EventMapper {

  private final String eventType;
  private final Set<String> mdcInclude;
  private final Set<String> mdcExclude;
  private final boolean includeLocation;
  private final int maxStackFrames;
  private final String sessionId;
  private final List<String> tags;

  Log4j2EventMapper(String eventType, String mdcInclude, String mdcExclude,
      boolean includeLocation, int maxStackFrames, String sessionId, String tags) {
    this.eventType = eventType;
    this.mdcInclude = splitSet(mdcInclude);
    this.mdcExclude = splitSet(mdcExclude);
    this.includeLocation = includeLocation;
    this.maxStackFrames = maxStackFrames;
    this.sessionId = sessionId == null || sessionId.isBlank() ? null : sessionId.trim();
    this.tags = new ArrayList<>(splitSet(tags));
  }

  ArgusEvent map(LogEvent e) {
    Message msg = e.getMessage();
    org.apache.logging.log4j.core.time.Instant t = e.getInstant();
    ArgusEvent.Builder b = ArgusEvent.builder(eventType)
        .level(level(e.getLevel()))
        .message(msg == null ? null : msg.getFormattedMessage())
        .timestamp(t == null ? Instant.ofEpochMilli(e.getTimeMillis())
            : Instant.ofEpochSecond(t.getEpochSecond(), t.getNanoOfSecond()))
        .sessionId(sessionId)
        .tags(tags);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("logger", e.getLoggerName());
    data.put("thread", e.getThreadName());
    Map<String, String> mdc = mdc(e.getContextData());
    if (!mdc.isEmpty()) {
      data.put("mdc", mdc);
    }
    ThreadContext.ContextStack stack = e.getContextStack();
    if (stack != null && stack.getDepth() > 0) {
      data.put("ndc", new ArrayList<>(stack.asList()));
    }
    if (msg instanceof MapMessage) {
      Map<String, Object> kv = new LinkedHashMap<>();
      ((MapMessage<?, ?>) msg).forEach((k, v) -> kv.put(k, v));
      if (!kv.isEmpty()) {
        data.put("key_values", kv);
      }
    }
    Marker marker = e.getMarker();
    if (marker != null) {
      Set<String> names = new LinkedHashSet<>();
      addMarker(marker, names, 0);
      data.put("markers", new ArrayList<>(names));
    }
    if (includeLocation) {
      StackTraceElement src = e.getSource();
      if (src != null) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("class", src.getClassName());
        c.put("method", src.getMethodName());
        c.put("file", src.getFileName());
        c.put("line", src.getLineNumber());
        data.put("caller", c);
      }
    }
    Throwable thrown = e.getThrown();
    if (thrown != null) {
      data.put("exception", Throwables.toData(thrown, maxStackFrames));
    }
    return b.data(data).build();
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

  private Map<String, String> mdc(ReadOnlyStringMap context) {
    if (context == null || context.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    context.forEach((k, v) -> {
      if ((mdcInclude.isEmpty() || mdcInclude.contains(k)) && !mdcExclude.contains(k)) {
        out.put(k, v == null ? null : String.valueOf(v));
      }
    });
    return out;
  }

  private static void addMarker(Marker m, Set<String> names, int depth) {
    if (m == null || depth > 8 || !names.add(m.getName())) {
      return;
    }
    Marker[] parents = m.getParents();
    if (parents != null) {
      for (Marker p : parents) {
        addMarker(p, names, depth + 1);
      }
    }
  }

  private static Set<String> splitSet(String csv) {
    if (csv == null || csv.isBlank()) {
      return Collections.emptySet();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
