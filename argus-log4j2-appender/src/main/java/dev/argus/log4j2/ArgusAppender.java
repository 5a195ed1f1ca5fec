package dev.argus.log4j2;

import dev.argus.client.AppenderSettings;
import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusDiagnostics;
import dev.argus.client.LogShipper;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * class handles configuration and lifecycle; {@link Log4j2Entry} reads a log event for the shared
 * event template and {@link LogShipper} delivers it. Never throws into the application; its own
 * problems go to the {@code StatusLogger}.
 */
@Plugin(name = "Argus", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
    printObject = true)
public final class ArgusAppender extends AbstractAppender {

  private final LogShipper shipper;
  private final Level minLevel;

  private ArgusAppender(String name, Filter filter, boolean ignoreExceptions, Property[] properties,
      LogShipper shipper, Level minLevel) {
    super(name, filter, null, ignoreExceptions, properties);
    this.shipper = shipper;
    this.minLevel = minLevel;
  }

  @PluginBuilderFactory
  public static <B extends Builder<B>> B newBuilder() {
    return new Builder<B>().asBuilder();
  }

  @Override
  public void append(LogEvent event) {
    if (!isStarted() || !event.getLevel().isMoreSpecificThan(minLevel)) {
      return;
    }
    try {
      shipper.ship(new Log4j2Entry(event));
    } catch (RuntimeException | LinkageError e) {
      LOGGER.error("Argus appender '{}': cannot ship a log event", getName(), e);
    }
  }

  /** Asks async loggers to capture the caller's location when {@code includeLocation} is set. */
  @Override
  public boolean requiresLocation() {
    return shipper.includesCallerData();
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    boolean stopped = super.stop(timeout, timeUnit, false);
    shipper.close();
    setStopped();
    return stopped;
  }

  /** The client this appender ships through (for tests and diagnostics). */
  public ArgusClient getClient() {
    return shipper.client();
  }

  /**
   * Builder behind {@code <Argus .../>}; every attribute has a default except {@code source}. An
   * attribute left out stays null here and takes the default of {@link AppenderSettings}.
   */
  public static class Builder<B extends Builder<B>> extends AbstractAppender.Builder<B>
      implements org.apache.logging.log4j.core.util.Builder<ArgusAppender> {

    /** Server base URL; default {@code http://127.0.0.1:8765}. */
    @PluginBuilderAttribute
    private String url;

    /** API key (sent as {@code X-API-Key}); default none. */
    @PluginBuilderAttribute(sensitive = true)
    private String apiKey;

    /** Event source, required. */
    @PluginBuilderAttribute
    @Required(message = "Argus appender needs a source")
    private String source;

    /** {@code sync} or {@code batch}; default sync. */
    @PluginBuilderAttribute
    private String mode;

    /** Event type of every event; default {@code log}. */
    @PluginBuilderAttribute
    private String eventType;

    /** Least severe level shipped; default TRACE. */
    @PluginBuilderAttribute
    private String minLevel = "TRACE";

    /** Longest a sync log call waits for the server, in ms; default 2000. */
    @PluginBuilderAttribute
    private Long timeoutMs;

    /** TCP connect timeout in ms; default 1000. */
    @PluginBuilderAttribute
    private Long connectTimeoutMs;

    /** Spool directory for undeliverable events; default none (drop). */
    @PluginBuilderAttribute
    private String spoolDir;

    /** Spool size limit in MiB; default 100. */
    @PluginBuilderAttribute
    private Long spoolMaxMb;

    /** Consecutive failures that open the circuit breaker; default 3. */
    @PluginBuilderAttribute
    private Integer breakerFailures;

    /** How long the open breaker skips the server, in ms; default 10000. */
    @PluginBuilderAttribute
    private Long breakerCooldownMs;

    /** Events per batch request (1..1000); default 500. */
    @PluginBuilderAttribute
    private Integer batchSize;

    /** Batch queue bound in events; default 10000. */
    @PluginBuilderAttribute
    private Integer queueCapacity;

    /** Longest an event waits in the batch queue, in ms; default 1000. */
    @PluginBuilderAttribute
    private Long flushIntervalMs;

    /** Batch sender threads (1..16); default 1. */
    @PluginBuilderAttribute
    private Integer senderThreads;

    /** Most requests in flight at once (1..64), i.e. most {@code argus-http} threads; default 4. */
    @PluginBuilderAttribute
    private Integer maxInFlight;

    /** Longest stop spends delivering spooled events, in ms (ignores the breaker); default 5000. */
    @PluginBuilderAttribute
    private Long closeTimeoutMs;

    /** Comma-separated ThreadContext keys to ship; default all. */
    @PluginBuilderAttribute
    private String mdcIncludeKeys;

    /** Comma-separated ThreadContext keys never shipped; default none. */
    @PluginBuilderAttribute
    private String mdcExcludeKeys;

    /** Adds {@code data.caller} (class, method, file, line); default false. */
    @PluginBuilderAttribute
    private Boolean includeLocation;

    /** Stack frames kept per throwable; default 50. */
    @PluginBuilderAttribute
    private Integer maxStackFrames;

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
      AppenderSettings settings = settings();
      String problem = settings.problem();
      if (problem != null) {
        LOGGER.error("Argus appender '{}': {}", name, problem);
        return null;
      }
      Level level = Level.toLevel(minLevel, null);
      if (level == null) {
        LOGGER.warn("Argus appender '{}': unknown minLevel '{}'; using TRACE", name, minLevel);
        level = Level.TRACE;
      }
      try {
        LogShipper shipper = LogShipper.start(settings, new StatusDiagnostics(name));
        return new ArgusAppender(name, getFilter(), isIgnoreExceptions(), getPropertyArray(),
            shipper, level);
      } catch (RuntimeException e) {
        LOGGER.error("Argus appender '{}': cannot start", name, e);
        return null;
      }
    }

    /** The attributes given; those left out keep the defaults of {@link AppenderSettings}. */
    private AppenderSettings settings() {
      AppenderSettings s = new AppenderSettings();
      given(url, s::setUrl);
      given(apiKey, s::setApiKey);
      given(source, s::setSource);
      given(mode, s::setMode);
      given(eventType, s::setEventType);
      given(timeoutMs, s::setTimeoutMs);
      given(connectTimeoutMs, s::setConnectTimeoutMs);
      given(spoolDir, s::setSpoolDir);
      given(spoolMaxMb, s::setSpoolMaxMb);
      given(breakerFailures, s::setBreakerFailures);
      given(breakerCooldownMs, s::setBreakerCooldownMs);
      given(batchSize, s::setBatchSize);
      given(queueCapacity, s::setQueueCapacity);
      given(flushIntervalMs, s::setFlushIntervalMs);
      given(senderThreads, s::setSenderThreads);
      given(maxInFlight, s::setMaxInFlight);
      given(closeTimeoutMs, s::setCloseTimeoutMs);
      given(mdcIncludeKeys, s::setMdcIncludeKeys);
      given(mdcExcludeKeys, s::setMdcExcludeKeys);
      given(includeLocation, s::setIncludeCallerData);
      given(maxStackFrames, s::setMaxStackFrames);
      given(sessionId, s::setSessionId);
      given(tags, s::setTags);
      return s;
    }

    private static <T> void given(T value, Consumer<T> setter) {
      if (value != null) {
        setter.accept(value);
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
