package dev.argus.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.argus.client.AppenderSettings;
import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusDiagnostics;
import dev.argus.client.LogShipper;

/**
 * Logback appender that ships every log event to an Argus server (SPEC §9). This class handles
 * lifecycle only; {@link LogbackEntry} reads a log event for the shared event template and
 * {@link LogShipper} delivers it. Settings are what logback.xml sets; {@link AppenderSettings}
 * turns them into the client's configuration. Never throws into the application; its own problems
 * go to Logback's status manager.
 */
public class ArgusAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private final AppenderSettings settings = new AppenderSettings();
  private Level minLevel = Level.TRACE;
  private volatile LogShipper shipper;

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    String problem = settings.problem();
    if (problem != null) {
      addError("Argus appender '" + name + "': " + problem);
      return;
    }
    try {
      shipper = LogShipper.start(settings, new StatusDiagnostics());
    } catch (RuntimeException e) {
      addError("Argus appender '" + name + "': cannot start", e);
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    LogShipper s = shipper;
    if (s == null || !event.getLevel().isGreaterOrEqual(minLevel)) {
      return;
    }
    try {
      s.ship(new LogbackEntry(event));
    } catch (RuntimeException | LinkageError e) {
      addError("Argus appender '" + name + "': cannot ship a log event", e);
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    LogShipper s = shipper;
    shipper = null;
    if (s != null) {
      s.close();
    }
  }

  /** The running client (for tests and diagnostics), or null when stopped. */
  public ArgusClient getClient() {
    LogShipper s = shipper;
    return s == null ? null : s.client();
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
    settings.setUrl(url);
  }

  /** API key (sent as {@code X-API-Key}); default none. */
  public void setApiKey(String apiKey) {
    settings.setApiKey(apiKey);
  }

  /** Event source, required. */
  public void setSource(String source) {
    settings.setSource(source);
  }

  /** {@code sync} (wait for the server's commit) or {@code batch} (queue); default sync. */
  public void setMode(String mode) {
    settings.setMode(mode);
  }

  /** Event type of every event; default {@code log}. */
  public void setEventType(String eventType) {
    settings.setEventType(eventType);
  }

  /** Least severe level shipped; default TRACE (everything the logger passes). */
  public void setMinLevel(String minLevel) {
    this.minLevel = Level.toLevel(minLevel, Level.TRACE);
  }

  /** Longest a sync log call waits for the server, in ms; default 2000. */
  public void setTimeoutMs(long timeoutMs) {
    settings.setTimeoutMs(timeoutMs);
  }

  /** TCP connect timeout in ms; default 1000. */
  public void setConnectTimeoutMs(long connectTimeoutMs) {
    settings.setConnectTimeoutMs(connectTimeoutMs);
  }

  /** Directory of the on-disk spool for undeliverable events; default none (drop). */
  public void setSpoolDir(String spoolDir) {
    settings.setSpoolDir(spoolDir);
  }

  /** Spool size limit in MiB; default 100. */
  public void setSpoolMaxMb(long spoolMaxMb) {
    settings.setSpoolMaxMb(spoolMaxMb);
  }

  /** Consecutive failures that open the circuit breaker; default 3. */
  public void setBreakerFailures(int breakerFailures) {
    settings.setBreakerFailures(breakerFailures);
  }

  /** How long the open breaker skips the server, in ms; default 10000. */
  public void setBreakerCooldownMs(long breakerCooldownMs) {
    settings.setBreakerCooldownMs(breakerCooldownMs);
  }

  /** Events per batch request (1..1000), batch mode; default 500. */
  public void setBatchSize(int batchSize) {
    settings.setBatchSize(batchSize);
  }

  /** Batch queue bound in events; default 10000. */
  public void setQueueCapacity(int queueCapacity) {
    settings.setQueueCapacity(queueCapacity);
  }

  /** Longest an event waits in the batch queue, in ms; default 1000. */
  public void setFlushIntervalMs(long flushIntervalMs) {
    settings.setFlushIntervalMs(flushIntervalMs);
  }

  /** Batch sender threads (1..16); default 1. */
  public void setSenderThreads(int senderThreads) {
    settings.setSenderThreads(senderThreads);
  }

  /** Most requests in flight at once (1..64), i.e. most {@code argus-http} threads; default 4. */
  public void setMaxInFlight(int maxInFlight) {
    settings.setMaxInFlight(maxInFlight);
  }

  /**
   * Longest the appender's stop spends delivering spooled events, in ms (tried at once, whatever
   * the circuit breaker says); 0 leaves them for the next run or {@code argus spool flush}; default 5000.
   */
  public void setCloseTimeoutMs(long closeTimeoutMs) {
    settings.setCloseTimeoutMs(closeTimeoutMs);
  }

  /** Comma-separated MDC keys to ship; default all. */
  public void setMdcIncludeKeys(String mdcIncludeKeys) {
    settings.setMdcIncludeKeys(mdcIncludeKeys);
  }

  /** Comma-separated MDC keys never shipped; default none. */
  public void setMdcExcludeKeys(String mdcExcludeKeys) {
    settings.setMdcExcludeKeys(mdcExcludeKeys);
  }

  /** Adds {@code data.caller} (class, method, file, line); costs a stack walk; default false. */
  public void setIncludeCallerData(boolean includeCallerData) {
    settings.setIncludeCallerData(includeCallerData);
  }

  /** Stack frames kept per throwable; default 50. */
  public void setMaxStackFrames(int maxStackFrames) {
    settings.setMaxStackFrames(maxStackFrames);
  }

  /** {@code session_id} of every event; default none. */
  public void setSessionId(String sessionId) {
    settings.setSessionId(sessionId);
  }

  /** Comma-separated tags of every event; default none. */
  public void setTags(String tags) {
    settings.setTags(tags);
  }
}
