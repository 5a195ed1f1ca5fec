package dev.argus.it.appenders;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.argus.client.ArgusClient;
import dev.argus.logback.ArgusAppender;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/** The Logback appender on a dedicated, non-additive logger of the global Logback context. */
final class LogbackHarness implements AppenderHarness {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Logger logger;
  private final Logger attachedTo;
  private final ArgusAppender appender;

  LogbackHarness(Map<String, String> settings) {
    this(settings, false);
  }

  /** With {@code onRoot}, the appender sits on the root logger and sees every logger's events. */
  LogbackHarness(Map<String, String> settings, boolean onRoot) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender = new ArgusAppender();
    appender.setContext(ctx);
    appender.setName("argus-it-" + COUNTER.incrementAndGet());
    settings.forEach((k, v) -> set(appender, k, v));
    appender.start();
    logger = ctx.getLogger("it.logback." + COUNTER.incrementAndGet());
    logger.setLevel(Level.TRACE);
    if (onRoot) {
      attachedTo = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
      attachedTo.setLevel(Level.TRACE);
      attachedTo.detachAndStopAllAppenders();
    } else {
      attachedTo = logger;
      logger.setAdditive(false);
    }
    attachedTo.addAppender(appender);
  }

  @Override
  public void logAs(String loggerName, String message) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(loggerName).info(message);
  }

  /** Sets a property the way logback.xml does: by its setter, converting the text. */
  static void set(Object target, String name, String value) {
    String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(setter) && m.getParameterCount() == 1) {
        Class<?> t = m.getParameterTypes()[0];
        Object v = t == String.class ? value
            : t == int.class ? Integer.parseInt(value)
            : t == long.class ? Long.parseLong(value)
            : t == boolean.class ? Boolean.parseBoolean(value) : null;
        if (v == null) {
          continue;
        }
        try {
          m.invoke(target, v);
          return;
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalArgumentException("no setter for " + name);
  }

  @Override
  public void log(String level, String message, Throwable error) {
    switch (level) {
      case "trace": logger.trace(message, error); break;
      case "debug": logger.debug(message, error); break;
      case "info": logger.info(message, error); break;
      case "warn": logger.warn(message, error); break;
      default: logger.error(message, error); break;
    }
  }

  @Override
  public void logRich(String message, Map<String, String> context, Map<String, Object> keyValues,
      String marker, Throwable error) {
    context.forEach(MDC::put);
    try {
      LoggingEventBuilder b = logger.atInfo().setMessage(message).addMarker(MarkerFactory.getMarker(marker));
      keyValues.forEach(b::addKeyValue);
      if (error != null) {
        b.setCause(error);
      }
      b.log();
    } finally {
      context.keySet().forEach(MDC::remove);
    }
  }

  @Override
  public String loggerName() {
    return logger.getName();
  }

  @Override
  public ArgusClient client() {
    return appender.getClient();
  }

  @Override
  public void close() {
    attachedTo.detachAppender(appender);
    appender.stop();
  }
}
