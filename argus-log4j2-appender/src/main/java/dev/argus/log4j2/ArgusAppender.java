package dev.argus.log4j2;

import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusClientConfig;
import dev.argus.client.ArgusDiagnostics;
import dev.argus.client.ArgusEvent;
import dev.argus.client.Throwables;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.validation.constraints.Required;

/**
 * Log4j2 plugin {@code <Argus>} that ships every log event to an Argus server (SPEC §9). This
 * class handles configuration and lifecycle; {@link Log4j2EventMapper} turns a log event into an
 * event and {@link ArgusClient} delivers it. Never throws into the application; its own problems
 * go to the {@code StatusLogger}.
 */
@Plugin(name = "Argus", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
    printObject = true)
public final class ArgusAppender extends AbstractAppender {

  private final ArgusClient client;
  private final Log4j2EventMapper mapper;
  private final Level minLevel;
  private final boolean batch;
  private final boolean includeLocation;

  private ArgusAppender(String name, Filter filter, boolean ignoreExceptions, Property[] properties,
      ArgusClient client, Log4j2EventMapper mapper, Level minLevel, boolean batch,
      boolean includeLocation) {
    super(name, filter, null, ignoreExceptions, properties);
    this.client = client;
    this.mapper = mapper;
    this.minLevel = minLevel;
    this.batch = batch;
    this.includeLocation = includeLocation;
  }

  @PluginBuilderFactory
  public static <B extends Builder<B>> B newBuilder() {
    return new Builder<B>().asBuilder();
  }

  @Override
  public void append(LogEvent event) {
    if (!isStarted() || !event.getLevel().isMoreSpecificThan(minLevel) || isOwnEvent(event)) {
      return;
    }
    try {
      ArgusEvent e = mapper.map(event);
      if (batch) {
        client.enqueue(e);
      } else {
        client.send(e);
      }
    } catch (RuntimeException | LinkageError e) {
      LOGGER.error("Argus appender '{}': cannot ship a log event", getName(), e);
    }
  }

  /** Events from the client's own threads or the JDK HTTP stack would feed back forever. */
  static boolean isOwnEvent(LogEvent event) {
    return ArgusClient.isOwnEvent(event.getThreadName(), event.getLoggerName());
  }

  /** Asks async loggers to capture the caller's location when {@code includeLocation} is set. */
  @Override
  public boolean requiresLocation() {
    return includeLocation;
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    boolean stopped = super.stop(timeout, timeUnit, false);
    client.close();
    long dropped = client.droppedCount();
    if (dropped > 0) {
      LOGGER.warn("Argus appender '{}': {} event(s) were dropped in total", getName(), dropped);
    }
    setStopped();
    return stopped;
  }

  /** The client this appender ships through (for tests and diagnostics). */
  public ArgusClient getClient() {
    return client;
  }

  /** Builder behind {@code <Argus .../>}; every attribute has a default except {@code source}. */
  public static class Builder<B extends Builder<B>> extends AbstractAppender.Builder<B>
      implements org.apache.logging.log4j.core.util.Builder<ArgusAppender> {

    /** Server base URL; default {@code http://127.0.0.1:8765}. */
    @PluginBuilderAttribute
    private String url = "http://127.0.0.1:8765";

    /** API key (sent as {@code X-API-Key}); default none. */
    @PluginBuilderAttribute(sensitive = true)
    private String apiKey;

    /** Event source, required. */
    @PluginBuilderAttribute
    @Required(message = "Argus appender needs a source")
    private String source;

    /** {@code sync} or {@code batch}; default sync. */
    @PluginBuilderAttribute
    private String mode = "sync";

    /** Event type of every event; default {@code log}. */
    @PluginBuilderAttribute
    private String eventType = "log";

    /** Least severe level shipped; default TRACE. */
    @PluginBuilderAttribute
    private String minLevel = "TRACE";

    /** Longest a sync log call waits for the server, in ms; default 2000. */
    @PluginBuilderAttribute
    private long timeoutMs = 2000;

    /** TCP connect timeout in ms; default 1000. */
    @PluginBuilderAttribute
    private long connectTimeoutMs = 1000;

    /** Spool directory for undeliverable events; default none (drop). */
    @PluginBuilderAttribute
    private String spoolDir;

    /** Spool size limit in MiB; default 100. */
    @PluginBuilderAttribute
    private long spoolMaxMb = 100;

    /** Consecutive failures that open the circuit breaker; default 3. */
    @PluginBuilderAttribute
    private int breakerFailures = 3;

    /** How long the open breaker skips the server, in ms; default 10000. */
    @PluginBuilderAttribute
    private long breakerCooldownMs = 10_000;

    /** Events per batch request (1..1000); default 500. */
    @PluginBuilderAttribute
    private int batchSize = 500;

    /** Batch queue bound in events; default 10000. */
    @PluginBuilderAttribute
    private int queueCapacity = 10_000;

    /** Longest an event waits in the batch queue, in ms; default 1000. */
    @PluginBuilderAttribute
    private long flushIntervalMs = 1000;

    /** Batch sender threads (1..16); default 1. */
    @PluginBuilderAttribute
    private int senderThreads = 1;

    /** Most requests in flight at once (1..64), i.e. most {@code argus-http} threads; default 4. */
    @PluginBuilderAttribute
    private int maxInFlight = 4;

    /** Longest stop spends delivering spooled events, in ms (ignores the breaker); default 5000. */
    @PluginBuilderAttribute
    private long closeTimeoutMs = 5000;

    /** Comma-separated ThreadContext keys to ship; default all. */
    @PluginBuilderAttribute
    private String mdcIncludeKeys;

    /** Comma-separated ThreadContext keys never shipped; default none. */
    @PluginBuilderAttribute
    private String mdcExcludeKeys;

    /** Adds {@code data.caller} (class, method, file, line); default false. */
    @PluginBuilderAttribute
    private boolean includeLocation;

    /** Stack frames kept per throwable; default 50. */
    @PluginBuilderAttribute
    private int maxStackFrames = Throwables.DEFAULT_MAX_FRAMES;

    /** {@code session_id} of every event; default none. */
    @PluginBuilderAttribute
    private String sessionId;

    /** Comma-separated tags of every event; default none. */
    @PluginBuilderAttribute
    private String tags;

    public B setUrl(String url) {
      this.url = url;
      return asBuilder();
    }

    public B setApiKey(String apiKey) {
      this.apiKey = apiKey;
      return asBuilder();
    }

    public B setSource(String source) {
      this.source = source;
      return asBuilder();
    }

    public B setMode(String mode) {
      this.mode = mode;
      return asBuilder();
    }

    public B setEventType(String eventType) {
      this.eventType = eventType;
      return asBuilder();
    }

    public B setMinLevel(String minLevel) {
      this.minLevel = minLevel;
      return asBuilder();
    }

    public B setTimeoutMs(long timeoutMs) {
      this.timeoutMs = timeoutMs;
      return asBuilder();
    }

    public B setConnectTimeoutMs(long connectTimeoutMs) {
      this.connectTimeoutMs = connectTimeoutMs;
      return asBuilder();
    }

    public B setSpoolDir(String spoolDir) {
      this.spoolDir = spoolDir;
      return asBuilder();
    }

    public B setSpoolMaxMb(long spoolMaxMb) {
      this.spoolMaxMb = spoolMaxMb;
      return asBuilder();
    }

    public B setBreakerFailures(int breakerFailures) {
      this.breakerFailures = breakerFailures;
      return asBuilder();
    }

    public B setBreakerCooldownMs(long breakerCooldownMs) {
      this.breakerCooldownMs = breakerCooldownMs;
      return asBuilder();
    }

    public B setBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return asBuilder();
    }

    public B setQueueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return asBuilder();
    }

    public B setFlushIntervalMs(long flushIntervalMs) {
      this.flushIntervalMs = flushIntervalMs;
      return asBuilder();
    }

    public B setSenderThreads(int senderThreads) {
      this.senderThreads = senderThreads;
      return asBuilder();
    }

    public B setMaxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return asBuilder();
    }

    public B setCloseTimeoutMs(long closeTimeoutMs) {
      this.closeTimeoutMs = closeTimeoutMs;
      return asBuilder();
    }

    public B setMdcIncludeKeys(String mdcIncludeKeys) {
      this.mdcIncludeKeys = mdcIncludeKeys;
      return asBuilder();
    }

    public B setMdcExcludeKeys(String mdcExcludeKeys) {
      this.mdcExcludeKeys = mdcExcludeKeys;
      return asBuilder();
    }

    public B setIncludeLocation(boolean includeLocation) {
      this.includeLocation = includeLocation;
      return asBuilder();
    }

    public B setMaxStackFrames(int maxStackFrames) {
      this.maxStackFrames = maxStackFrames;
      return asBuilder();
    }

    public B setSessionId(String sessionId) {
      this.sessionId = sessionId;
      return asBuilder();
    }

    public B setTags(String tags) {
      this.tags = tags;
      return asBuilder();
    }

    @Override
    public ArgusAppender build() {
      String name = getName();
      if (source == null || source.isBlank()) {
        LOGGER.error("Argus appender '{}': source is required", name);
        return null;
      }
      if (url == null || url.isBlank()) {
        LOGGER.error("Argus appender '{}': url is required", name);
        return null;
      }
      String m = mode == null ? "sync" : mode.trim().toLowerCase(Locale.ROOT);
      if (!m.equals("sync") && !m.equals("batch")) {
        LOGGER.warn("Argus appender '{}': unknown mode '{}'; using sync", name, mode);
        m = "sync";
      }
      Level level = Level.toLevel(minLevel, null);
      if (level == null) {
        LOGGER.warn("Argus appender '{}': unknown minLevel '{}'; using TRACE", name, minLevel);
        level = Level.TRACE;
      }
      try {
        ArgusClientConfig config = ArgusClientConfig.builder()
            .url(url.trim())
            .apiKey(apiKey == null || apiKey.isBlank() ? null : apiKey.trim())
            .source(source.trim())
            .timeout(Duration.ofMillis(timeoutMs))
            .connectTimeout(Duration.ofMillis(connectTimeoutMs))
            .spoolDir(spoolDir == null || spoolDir.isBlank() ? null : Paths.get(spoolDir.trim()))
            .spoolMaxBytes(spoolMaxMb * 1024 * 1024)
            .breakerFailures(breakerFailures)
            .breakerCooldown(Duration.ofMillis(breakerCooldownMs))
            .batchSize(batchSize)
            .queueCapacity(queueCapacity)
            .flushInterval(Duration.ofMillis(flushIntervalMs))
            .senderThreads(senderThreads)
            .maxInFlight(maxInFlight)
            .closeTimeout(Duration.ofMillis(closeTimeoutMs))
            .diagnostics(new StatusDiagnostics(name))
            .build();
        Log4j2EventMapper mapper = new Log4j2EventMapper(
            eventType == null || eventType.isBlank() ? "log" : eventType.trim(),
            mdcIncludeKeys, mdcExcludeKeys, includeLocation, maxStackFrames, sessionId, tags);
        return new ArgusAppender(name, getFilter(), isIgnoreExceptions(), getPropertyArray(),
            ArgusClient.create(config), mapper, level, m.equals("batch"), includeLocation);
      } catch (RuntimeException e) {
        LOGGER.error("Argus appender '{}': cannot start", name, e);
        return null;
      }
    }
  }

  /** Routes the client's own problems to Log4j2's StatusLogger. */
  private static final class StatusDiagnostics implements ArgusDiagnostics {
    private final String name;

    StatusDiagnostics(String name) {
      this.name = name;
    }

    @Override
    public void warn(String message, Throwable error) {
      LOGGER.warn("Argus appender '{}': {}", name, message, error);
    }

    @Override
    public void info(String message) {
      LOGGER.info("Argus appender '{}': {}", name, message);
    }
  }
}
