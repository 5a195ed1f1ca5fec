package dev.argus.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.argus.client.LogEntry;
import dev.argus.client.MarkerNames;
import dev.argus.client.Throwables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/** One Logback event read as a {@link LogEntry} (SPEC §9), on the logging thread. */
final class LogbackEntry extends LogEntry {

  /** Reads proxies that lost the original throwable (events deserialized from elsewhere). */
  private static final Throwables.Reader<IThrowableProxy> PROXY = new Throwables.Reader<>() {
    @Override
    public String className(IThrowableProxy t) {
      return t.getClassName();
    }

    @Override
    public String message(IThrowableProxy t) {
      return t.getMessage();
    }

    @Override
    public StackTraceElement[] frames(IThrowableProxy t) {
      StackTraceElementProxy[] proxies = t.getStackTraceElementProxyArray();
      StackTraceElement[] frames = new StackTraceElement[proxies == null ? 0 : proxies.length];
      for (int i = 0; i < frames.length; i++) {
        frames[i] = proxies[i].getStackTraceElement();
      }
      return frames;
    }

    @Override
    public IThrowableProxy cause(IThrowableProxy t) {
      return t.getCause();
    }
  };

  private final ILoggingEvent event;

  LogbackEntry(ILoggingEvent event) {
    super(level(event.getLevel()), event.getFormattedMessage(), event.getInstant(),
        event.getLoggerName(), event.getThreadName());
    this.event = event;
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

  @Override
  public void forEachContext(BiConsumer<String, String> action) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach(action);
    }
  }

  @Override
  public Map<String, Object> keyValues() {
    List<KeyValuePair> kvs = event.getKeyValuePairs();
    if (kvs == null || kvs.isEmpty()) {
      return null;
    }
    Map<String, Object> kv = new LinkedHashMap<>();
    for (KeyValuePair p : kvs) {
      kv.put(p.key, p.value);
    }
    return kv;
  }

  @Override
  public List<String> markerNames() {
    List<Marker> markers = event.getMarkerList();
    if (markers == null || markers.isEmpty()) {
      return null;
    }
    return MarkerNames.of(markers.iterator(), Marker::getName, Marker::iterator);
  }

  @Override
  public StackTraceElement caller() {
    StackTraceElement[] caller = event.getCallerData();
    return caller != null && caller.length > 0 ? caller[0] : null;
  }

  @Override
  public Map<String, Object> exception(int maxFrames) {
    IThrowableProxy tp = event.getThrowableProxy();
    if (tp instanceof ThrowableProxy && ((ThrowableProxy) tp).getThrowable() != null) {
      return Throwables.toData(((ThrowableProxy) tp).getThrowable(), maxFrames);
    }
    return Throwables.toData(tp, PROXY, maxFrames);
  }
}
