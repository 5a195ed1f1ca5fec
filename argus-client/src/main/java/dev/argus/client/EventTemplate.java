package dev.argus.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link LogEntry} into an Argus event (SPEC §9), the same way for every logging
 * framework: the event type, session and tags of the appender, and in {@code data} the logger,
 * thread, filtered MDC, nested context, key-values, markers, caller and exception. Immutable.
 */
public final class EventTemplate {

  private final String eventType;
  private final Set<String> mdcInclude;
  private final Set<String> mdcExclude;
  private final boolean includeCallerData;
  private final int maxStackFrames;
  private final String sessionId;
  private final List<String> tags;

  /**
   * Blank {@code eventType} means {@code log}; the key and tag lists are comma-separated, blank
   * items ignored; an empty include list ships every key.
   */
  EventTemplate(String eventType, String mdcIncludeKeys, String mdcExcludeKeys,
      boolean includeCallerData, int maxStackFrames, String sessionId, String tags) {
    String type = AppenderSettings.text(eventType);
    this.eventType = type == null ? "log" : type;
    this.mdcInclude = splitSet(mdcIncludeKeys);
    this.mdcExclude = splitSet(mdcExcludeKeys);
    this.includeCallerData = includeCallerData;
    this.maxStackFrames = maxStackFrames;
    this.sessionId = AppenderSettings.text(sessionId);
    this.tags = new ArrayList<>(splitSet(tags));
  }

  /** True when events carry {@code data.caller}, which costs the framework a stack walk. */
  public boolean includesCallerData() {
    return includeCallerData;
  }

  /** The event for {@code e}; call it on the logging thread, before the framework reuses it. */
  public ArgusEvent toEvent(LogEntry e) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("logger", e.loggerName());
    data.put("thread", e.threadName());
    Map<String, String> mdc = new LinkedHashMap<>();
    e.forEachContext((k, v) -> {
      if ((mdcInclude.isEmpty() || mdcInclude.contains(k)) && !mdcExclude.contains(k)) {
        mdc.put(k, v);
      }
    });
    if (!mdc.isEmpty()) {
      data.put("mdc", mdc);
    }
    List<String> ndc = e.contextStack();
    if (ndc != null && !ndc.isEmpty()) {
      data.put("ndc", ndc);
    }
    Map<String, Object> kv = e.keyValues();
    if (kv != null && !kv.isEmpty()) {
      data.put("key_values", kv);
    }
    List<String> markers = e.markerNames();
    if (markers != null) {
      data.put("markers", markers);
    }
    if (includeCallerData) {
      StackTraceElement caller = e.caller();
      if (caller != null) {
        data.put("caller", caller(caller));
      }
    }
    Map<String, Object> exception = e.exception(maxStackFrames);
    if (exception != null) {
      data.put("exception", exception);
    }
    return ArgusEvent.builder(eventType)
        .level(e.level())
        .message(e.message())
        .timestamp(e.timestamp())
        .sessionId(sessionId)
        .tags(tags)
        .data(data)
        .build();
  }

  private static Map<String, Object> caller(StackTraceElement at) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class", at.getClassName());
    c.put("method", at.getMethodName());
    c.put("file", at.getFileName());
    c.put("line", at.getLineNumber());
    return c;
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
