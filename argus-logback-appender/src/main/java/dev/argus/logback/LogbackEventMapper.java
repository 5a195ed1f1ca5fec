package dev.argus.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.argus.client.ArgusEvent;
import dev.argus.client.Throwables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/** Turns one Logback event into an Argus event (SPEC §9), on the logging thread. */
final class LogbackEventMapper {

  private final String eventType;
  private final Set<String> mdcInclude;
  private final Set<String> mdcExclude;
  private final boolean includeCallerData;
  private final int maxStackFrames;
  private final String sessionId;
  private final List<String> tags;

  LogbackEventMapper(String eventType, String mdcInclude, String mdcExclude,
      boolean includeCallerData, int maxStackFrames, String sessionId, String tags) {
    this.eventType = eventType;
    this.mdcInclude = splitSet(mdcInclude);
    this.mdcExclude = splitSet(mdcExclude);
    this.includeCallerData = includeCallerData;
    this.maxStackFrames = maxStackFrames;
    this.sessionId = sessionId == null || sessionId.isBlank() ? null : sessionId.trim();
    this.tags = new ArrayList<>(splitSet(tags));
  }

  ArgusEvent map(ILoggingEvent e) {
    ArgusEvent.Builder b = ArgusEvent.builder(eventType)
        .level(level(e.getLevel()))
        .message(e.getFormattedMessage())
        .timestamp(e.getInstant())
        .sessionId(sessionId)
        .tags(tags);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("logger", e.getLoggerName());
    data.put("thread", e.getThreadName());
    Map<String, String> mdc = mdc(e.getMDCPropertyMap());
    if (!mdc.isEmpty()) {
      data.put("mdc", mdc);
    }
    List<KeyValuePair> kvs = e.getKeyValuePairs();
    if (kvs != null && !kvs.isEmpty()) {
      Map<String, Object> kv = new LinkedHashMap<>();
      for (KeyValuePair p : kvs) {
        kv.put(p.key, p.value);
      }
      data.put("key_values", kv);
    }
    List<Marker> markers = e.getMarkerList();
    if (markers != null && !markers.isEmpty()) {
      Set<String> names = new LinkedHashSet<>();
      for (Marker m : markers) {
        addMarker(m, names, 0);
      }
      data.put("markers", new ArrayList<>(names));
    }
    if (includeCallerData) {
      StackTraceElement[] caller = e.getCallerData();
      if (caller != null && caller.length > 0) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("class", caller[0].getClassName());
        c.put("method", caller[0].getMethodName());
        c.put("file", caller[0].getFileName());
        c.put("line", caller[0].getLineNumber());
        data.put("caller", c);
      }
    }
    IThrowableProxy tp = e.getThrowableProxy();
    if (tp != null) {
      data.put("exception", exception(tp));
    }
    return b.data(data).build();
  }

  static String level(Level level) {
    switch (level.toInt()) {
      case Level.ERROR_INT:
        return "error";
      case Level.WARN_INT:
        return "warn";
      case Level.INFO_INT:
        return "info";
      case Level.DEBUG_INT:
        return "debug";
      default:
        return "trace";
    }
  }

  private Map<String, String> mdc(Map<String, String> all) {
    if (all == null || all.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> en : all.entrySet()) {
      String k = en.getKey();
      if ((mdcInclude.isEmpty() || mdcInclude.contains(k)) && !mdcExclude.contains(k)) {
        out.put(k, en.getValue());
      }
    }
    return out;
  }

  private static void addMarker(Marker m, Set<String> names, int depth) {
    if (m == null || depth > 8 || !names.add(m.getName())) {
      return;
    }
    java.util.Iterator<Marker> it = m.iterator();
    while (it.hasNext()) {
      addMarker(it.next(), names, depth + 1);
    }
  }

  private Map<String, Object> exception(IThrowableProxy tp) {
    if (tp instanceof ThrowableProxy && ((ThrowableProxy) tp).getThrowable() != null) {
      return Throwables.toData(((ThrowableProxy) tp).getThrowable(), maxStackFrames);
    }
    return describe(tp, null, 0, new IdentityHashMap<>());
  }

  /** For proxies without the original throwable (events deserialized from elsewhere). */
  private Map<String, Object> describe(IThrowableProxy tp, StackTraceElement[] enclosing, int depth,
      IdentityHashMap<IThrowableProxy, Boolean> seen) {
    seen.put(tp, Boolean.TRUE);
    StackTraceElementProxy[] proxies = tp.getStackTraceElementProxyArray();
    StackTraceElement[] frames = new StackTraceElement[proxies == null ? 0 : proxies.length];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = proxies[i].getStackTraceElement();
    }
    Map<String, Object> cause = null;
    IThrowableProxy c = tp.getCause();
    if (c != null && !seen.containsKey(c) && depth + 1 < Throwables.MAX_CAUSES) {
      cause = describe(c, frames, depth + 1, seen);
    }
    return Throwables.describe(tp.getClassName(), tp.getMessage(), frames, enclosing,
        maxStackFrames, cause);
  }

  private static Set<String> splitSet(String csv) {
    if (csv == null || csv.isBlank()) {
      return Collections.emptySet();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : Arrays.asList(csv.split(","))) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
