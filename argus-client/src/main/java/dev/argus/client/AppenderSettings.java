package dev.argus.client;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;

/**
 * The settings both logging appenders take, in the units their configuration files use (ms, MiB,
 * comma-separated lists), with setters that {@code logback.xml} or the Log4j2 plugin builder fill.
 * {@link LogShipper#start} turns them once into the immutable {@link ArgusClientConfig} and
 * {@link EventTemplate}: text is trimmed, blank means unset, units are converted, and values out
 * of range are clamped with a warning to the appender's status channel.
 */
public final class AppenderSettings {

  private String url = "http://127.0.0.1:8765";
  private String apiKey;
  private String source;
  private String mode = "sync";
  private String eventType = "log";
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

  /** Why these settings cannot start an appender ({@code url}, {@code source} missing), or null. */
  public String problem() {
    if (text(url) == null) {
      return "url is required";
    }
    if (text(source) == null) {
      return "source is required";
    }
    return null;
  }

  /** The client settings; clamped values are reported to {@code diagnostics} by the client. */
  public ArgusClientConfig clientConfig(ArgusDiagnostics diagnostics) {
    String spool = text(spoolDir);
    return ArgusClientConfig.builder()
        .url(text(url))
        .apiKey(text(apiKey))
        .source(text(source))
        .timeout(Duration.ofMillis(timeoutMs))
        .connectTimeout(Duration.ofMillis(connectTimeoutMs))
        .spoolDir(spool == null ? null : Paths.get(spool))
        .spoolMaxBytes(spoolMaxMb * 1024 * 1024)
        .breakerFailures(breakerFailures)
        .breakerCooldown(Duration.ofMillis(breakerCooldownMs))
        .batchSize(batchSize)
        .queueCapacity(queueCapacity)
        .flushInterval(Duration.ofMillis(flushIntervalMs))
        .senderThreads(senderThreads)
        .maxInFlight(maxInFlight)
        .closeTimeout(Duration.ofMillis(closeTimeoutMs))
        .diagnostics(diagnostics)
        .build();
  }

  /** The event template of these settings. */
  public EventTemplate eventTemplate() {
    return new EventTemplate(eventType, mdcIncludeKeys, mdcExcludeKeys, includeCallerData,
        maxStackFrames, sessionId, tags);
  }

  /** True for {@code batch} mode; an unknown mode is reported and means sync. */
  public boolean batchMode(ArgusDiagnostics diagnostics) {
    String m = mode == null ? "sync" : mode.trim().toLowerCase(Locale.ROOT);
    if (!m.equals("sync") && !m.equals("batch")) {
      diagnostics.warn("unknown mode '" + mode + "'; using sync", null);
      return false;
    }
    return m.equals("batch");
  }

  /** Trimmed text, or null when blank. */
  static String text(String s) {
    return s == null || s.isBlank() ? null : s.trim();
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

  /** Consecutive failures that open the circuit breaker (1..1000); default 3. */
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

  /** Longest stop spends delivering spooled events, in ms (ignores the breaker); default 5000. */
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
