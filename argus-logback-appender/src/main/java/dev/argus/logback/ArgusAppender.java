package dev.argus.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusClientConfig;
import dev.argus.client.ArgusDiagnostics;
import dev.argus.client.ArgusEvent;
import dev.argus.client.Throwables;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;

/**
 * Logback appender that ships every log event to an Argus server (SPEC §9). This class handles
 * configuration and lifecycle only; {@link LogbackEventMapper} turns a log event into an event and
 * {@link ArgusClient} delivers it. Never throws into the application; its own problems go to
 * Logback's status manager.
 */
public class ArgusAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private String url = "http://127.0.0.1:8765";
  private String apiKey;
  private String source;
  private String mode = "sync";
  private String eventType = "log";
  private Level minLevel = Level.TRACE;
  private long timeoutMs = 2000;
  private long connectTimeoutMs = 1000;
  private String spoolDir;
  private long spoolMaxMb = 100;
  private int breakerFailures = 3;
  private long breakerCooldownMs = 10_000;
  private int batchSize = 500;
  private int queueCapacity = 10_000;
  private long flushIntervalMs = 1000;
  private int senderThreads = 1;
  private int maxInFlight = 4;
  private long closeTimeoutMs = 5000;
  private String mdcIncludeKeys;
  private String mdcExcludeKeys;
  private boolean includeCallerData;
  private int maxStackFrames = Throwables.DEFAULT_MAX_FRAMES;
  private String sessionId;
  private String tags;

  private volatile ArgusClient client;
  private volatile LogbackEventMapper mapper;
  private boolean batch;

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (url == null || url.isBlank()) {
      addError("Argus appender '" + name + "': <url> is required");
      return;
    }
    if (source == null || source.isBlank()) {
      addError("Argus appender '" + name + "': <source> is required");
      return;
    }
    String m = mode == null ? "sync" : mode.trim().toLowerCase(Locale.ROOT);
    if (!m.equals("sync") && !m.equals("batch")) {
      addWarn("Argus appender '" + name + "': unknown <mode> '" + mode + "'; using sync");
      m = "sync";
    }
    batch = m.equals("batch");
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
          .diagnostics(new StatusDiagnostics())
          .build();
      mapper = new LogbackEventMapper(eventType == null || eventType.isBlank() ? "log" : eventType.trim(),
          mdcIncludeKeys, mdcExcludeKeys, includeCallerData, maxStackFrames, sessionId, tags);
      client = ArgusClient.create(config);
    } catch (RuntimeException e) {
      addError("Argus appender '" + name + "': cannot start", e);
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    ArgusClient c = client;
    if (c == null || !event.getLevel().isGreaterOrEqual(minLevel) || isOwnEvent(event)) {
      return;
    }
    try {
      ArgusEvent e = mapper.map(event);
      if (batch) {
        c.enqueue(e);
      } else {
        c.send(e);
      }
    } catch (RuntimeException | LinkageError e) {
      addError("Argus appender '" + name + "': cannot ship a log event", e);
    }
  }

  /** Events from the client's own threads or the JDK HTTP stack would feed back forever. */
  static boolean isOwnEvent(ILoggingEvent event) {
    return ArgusClient.isOwnEvent(event.getThreadName(), event.getLoggerName());
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    ArgusClient c = client;
    client = null;
    if (c != null) {
      c.close();
      long dropped = c.droppedCount();
      if (dropped > 0) {
        addWarn("Argus appender '" + name + "': " + dropped + " event(s) were dropped in total");
      }
    }
  }

  /** The running client (for tests and diagnostics), or null when stopped. */
  public ArgusClient getClient() {
    return client;
  }

  private final class StatusDiagnostics implements ArgusDiagnostics {
    @Override
    public void warn(String message, Throwable error) {
      addWarn("Argus appender '" + name + "': " + message, error);
    }

    @Override
    public void info(String message) {
      addInfo("Argus appender '" + name + "': " + message);
    }
  }

  /** Server base URL; default {@code http://127.0.0.1:8765}. */
  public void setUrl(String url) {
    this.url = url;
  }

  /** API key (sent as {@code X-API-Key}); default none. */
  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  /** Event source, required. */
  public void setSource(String source) {
    this.source = source;
  }

  /** {@code sync} (wait for the server's commit) or {@code batch} (queue); default sync. */
  public void setMode(String mode) {
    this.mode = mode;
  }

  /** Event type of every event; default {@code log}. */
  public void setEventType(String eventType) {
    this.eventType = eventType;
  }

  /** Least severe level shipped; default TRACE (everything the logger passes). */
  public void setMinLevel(String minLevel) {
    this.minLevel = Level.toLevel(minLevel, Level.TRACE);
  }

  /** Longest a sync log call waits for the server, in ms; default 2000. */
  public void setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  /** TCP connect timeout in ms; default 1000. */
  public void setConnectTimeoutMs(long connectTimeoutMs) {
    this.connectTimeoutMs = connectTimeoutMs;
  }

  /** Directory of the on-disk spool for undeliverable events; default none (drop). */
  public void setSpoolDir(String spoolDir) {
    this.spoolDir = spoolDir;
  }

  /** Spool size limit in MiB; default 100. */
  public void setSpoolMaxMb(long spoolMaxMb) {
    this.spoolMaxMb = spoolMaxMb;
  }

  /** Consecutive failures that open the circuit breaker; default 3. */
  public void setBreakerFailures(int breakerFailures) {
    this.breakerFailures = breakerFailures;
  }

  /** How long the open breaker skips the server, in ms; default 10000. */
  public void setBreakerCooldownMs(long breakerCooldownMs) {
    this.breakerCooldownMs = breakerCooldownMs;
  }

  /** Events per batch request (1..1000), batch mode; default 500. */
  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Batch queue bound in events; default 10000. */
  public void setQueueCapacity(int queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  /** Longest an event waits in the batch queue, in ms; default 1000. */
  public void setFlushIntervalMs(long flushIntervalMs) {
    this.flushIntervalMs = flushIntervalMs;
  }

  /** Batch sender threads (1..16); default 1. */
  public void setSenderThreads(int senderThreads) {
    this.senderThreads = senderThreads;
  }

  /** Most requests in flight at once (1..64), i.e. most {@code argus-http} threads; default 4. */
  public void setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /**
   * Longest the appender's stop spends delivering spooled events, in ms (tried at once, whatever
   * the circuit breaker says); 0 leaves them for the next run or {@code argus spool flush}; default 5000.
   */
  public void setCloseTimeoutMs(long closeTimeoutMs) {
    this.closeTimeoutMs = closeTimeoutMs;
  }

  /** Comma-separated MDC keys to ship; default all. */
  public void setMdcIncludeKeys(String mdcIncludeKeys) {
    this.mdcIncludeKeys = mdcIncludeKeys;
  }

  /** Comma-separated MDC keys never shipped; default none. */
  public void setMdcExcludeKeys(String mdcExcludeKeys) {
    this.mdcExcludeKeys = mdcExcludeKeys;
  }

  /** Adds {@code data.caller} (class, method, file, line); costs a stack walk; default false. */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }

  /** Stack frames kept per throwable; default 50. */
  public void setMaxStackFrames(int maxStackFrames) {
    this.maxStackFrames = maxStackFrames;
  }

  /** {@code session_id} of every event; default none. */
  public void setSessionId(String sessionId) {
    this.sessionId = sessionId;
  }

  /** Comma-separated tags of every event; default none. */
  public void setTags(String tags) {
    this.tags = tags;
  }
}
