package dev.argus.it.appenders;

import dev.argus.client.ArgusClient;
import dev.argus.log4j2.ArgusAppender;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogBuilder;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * The Log4j2 plugin in its own LoggerContext, configured through the configuration builder with
 * the same attribute names a log4j2.xml uses (so plugin discovery is exercised too).
 */
final class Log4j2Harness implements AppenderHarness {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final LoggerContext ctx;
  private final Logger logger;

  Log4j2Harness(Map<String, String> settings) {
    String name = "argus-it-" + COUNTER.incrementAndGet();
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setConfigurationName(name);
    b.setStatusLevel(Level.WARN);
    AppenderComponentBuilder ab = b.newAppender("argus", "Argus");
    settings.forEach(ab::addAttribute);
    b.add(ab);
    b.add(b.newRootLogger(Level.ALL).add(b.newAppenderRef("argus")));
    ctx = new LoggerContext(name);
    ctx.start(b.build());
    if (!(ctx.getConfiguration().getAppender("argus") instanceof ArgusAppender)) {
      throw new IllegalStateException("Argus plugin not built from " + settings);
    }
    logger = ctx.getLogger("it.log4j2." + name);
  }

  @Override
  public void log(String level, String message, Throwable error) {
    logger.log(Level.toLevel(level), message, error);
  }

  @Override
  public void logRich(String message, Map<String, String> context, Map<String, Object> keyValues,
      String marker, Throwable error) {
    context.forEach(ThreadContext::put);
    ThreadContext.push("ndc-1");
    try {
      LogBuilder lb = logger.atInfo().withMarker(MarkerManager.getMarker(marker));
      if (error != null) {
        lb = lb.withThrowable(error);
      }
      Map<String, String> kv = new java.util.LinkedHashMap<>();
      keyValues.forEach((k, v) -> kv.put(k, String.valueOf(v)));
      lb.log(new StringMapMessage(kv) {
        @Override
        public String getFormattedMessage() {
          return message; // like SLF4J's key-values: the text stays the plain message
        }
      });
    } finally {
      context.keySet().forEach(ThreadContext::remove);
      ThreadContext.pop();
    }
  }

  @Override
  public void logAs(String loggerName, String message) {
    ctx.getLogger(loggerName).info(message);
  }

  @Override
  public String loggerName() {
    return logger.getName();
  }

  @Override
  public ArgusClient client() {
    return ((ArgusAppender) ctx.getConfiguration().getAppender("argus")).getClient();
  }

  @Override
  public void close() {
    ctx.stop();
  }
}
