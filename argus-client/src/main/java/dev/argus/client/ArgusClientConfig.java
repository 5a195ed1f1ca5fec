package dev.argus.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Immutable client settings, built once from setter-style configuration. Out-of-range values are
 * clamped and listed in {@link #adjustments()} so that the caller can report them.
 */
public final class ArgusClientConfig {

  private final String url;
  private final String apiKey;
  private final String source;
  private final Duration timeout;
  private final Duration connectTimeout;
  private final Path spoolDir;
  private final long spoolMaxBytes;
  private final int breakerFailures;
  private final Duration breakerCooldown;
  private final int batchSize;
  private final int queueCapacity;
  private final Duration flushInterval;
  private final int senderThreads;
  private final int maxInFlight;
  private final Duration closeTimeout;
  private final ArgusDiagnostics diagnostics;
  private final boolean plainSocket;
  private final List<String> adjustments;

  private ArgusClientConfig(Builder b) {
    List<String> adj = new ArrayList<>();
    String u = Objects.requireNonNull(b.url, "url").trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    this.url = u;
    this.apiKey = b.apiKey;
    this.source = b.source;
    this.timeout = atLeast("timeout", b.timeout, Duration.ofMillis(1), adj);
    this.connectTimeout = atLeast("connectTimeout", b.connectTimeout, Duration.ofMillis(1), adj);
    this.spoolDir = b.spoolDir;
    this.spoolMaxBytes = clamp("spoolMaxBytes", b.spoolMaxBytes, 4096, Long.MAX_VALUE, adj);
    this.breakerFailures = (int) clamp("breakerFailures", b.breakerFailures, 1, 1000, adj);
    this.breakerCooldown = atLeast("breakerCooldown", b.breakerCooldown, Duration.ofMillis(10), adj);
    this.batchSize = (int) clamp("batchSize", b.batchSize, 1, 1000, adj);
    this.queueCapacity = (int) clamp("queueCapacity", b.queueCapacity, 1, 10_000_000, adj);
    this.flushInterval = atLeast("flushInterval", b.flushInterval, Duration.ofMillis(1), adj);
    this.senderThreads = (int) clamp("senderThreads", b.senderThreads, 1, 16, adj);
    this.maxInFlight = (int) clamp("maxInFlight", b.maxInFlight, 1, 64, adj);
    this.closeTimeout = b.closeTimeout == null || b.closeTimeout.isNegative()
        ? atLeast("closeTimeout", b.closeTimeout, Duration.ZERO, adj) : b.closeTimeout;
    this.diagnostics = b.diagnostics == null ? ArgusDiagnostics.stderr() : b.diagnostics;
    this.plainSocket = b.plainSocket;
    this.adjustments = Collections.unmodifiableList(adj);
  }

  private static Duration atLeast(String name, Duration d, Duration min, List<String> adj) {
    if (d == null || d.compareTo(min) < 0) {
      adj.add(name + "=" + d + " is below the minimum; using " + min.toMillis() + " ms");
      return min;
    }
    return d;
  }

  private static long clamp(String name, long v, long min, long max, List<String> adj) {
    if (v < min || v > max) {
      long c = Math.max(min, Math.min(max, v));
      adj.add(name + "=" + v + " is outside [" + min + ", " + max + "]; using " + c);
      return c;
    }
    return v;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Base URL without trailing slash, e.g. {@code http://127.0.0.1:8765}. */
  public String url() {
    return url;
  }

  public String apiKey() {
    return apiKey;
  }

  public String source() {
    return source;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Path spoolDir() {
    return spoolDir;
  }

  public long spoolMaxBytes() {
    return spoolMaxBytes;
  }

  public int breakerFailures() {
    return breakerFailures;
  }

  public Duration breakerCooldown() {
    return breakerCooldown;
  }

  public int batchSize() {
    return batchSize;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public int senderThreads() {
    return senderThreads;
  }

  /**
   * Most HTTP exchanges (and so {@code argus-http-N} threads) at once; with the batch senders and
   * the spool replayer this bounds every thread the client starts.
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Longest {@link ArgusClient#close()} spends delivering queued and spooled events. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  public ArgusDiagnostics diagnostics() {
    return diagnostics;
  }

  /** True when {@code http://} requests go over the client's own HTTP/1.1 on a plain socket. */
  public boolean plainSocket() {
    return plainSocket;
  }

  /** Human-readable notes on values that were clamped into range; empty when none were. */
  public List<String> adjustments() {
    return adjustments;
  }

  /** Setter-style builder; every setting has a default. */
  public static final class Builder {
    private String url = "http://127.0.0.1:8765";
    private String apiKey;
    private String source;
    private Duration timeout = Duration.ofMillis(2000);
    private Duration connectTimeout = Duration.ofMillis(1000);
    private Path spoolDir;
    private long spoolMaxBytes = 100L * 1024 * 1024;
    private int breakerFailures = 3;
    private Duration breakerCooldown = Duration.ofSeconds(10);
    private int batchSize = 500;
    private int queueCapacity = 10_000;
    private Duration flushInterval = Duration.ofSeconds(1);
    private int senderThreads = 1;
    private int maxInFlight = 4;
    private Duration closeTimeout = Duration.ofMillis(5000);
    private ArgusDiagnostics diagnostics;
    private boolean plainSocket;

    private Builder() {}

    /** Server base URL; default {@code http://127.0.0.1:8765}. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** API key sent as {@code X-API-Key}; default none. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Source for events that name none; default none (then "unknown"). */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** Upper bound on one request including connect; default 2000 ms. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** TCP connect timeout; default 1000 ms. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Directory for the on-disk spool; default null (no spool). */
    public Builder spoolDir(Path spoolDir) {
      this.spoolDir = spoolDir;
      return this;
    }

    /** Spool size limit; events beyond it are dropped and counted; default 100 MiB. */
    public Builder spoolMaxBytes(long spoolMaxBytes) {
      this.spoolMaxBytes = spoolMaxBytes;
      return this;
    }

    /** Consecutive failures that open the circuit breaker; default 3. */
    public Builder breakerFailures(int breakerFailures) {
      this.breakerFailures = breakerFailures;
      return this;
    }

    /** How long the breaker stays open before one probe request; default 10 s. */
    public Builder breakerCooldown(Duration breakerCooldown) {
      this.breakerCooldown = breakerCooldown;
      return this;
    }

    /** Events per batch request (1..1000); default 500. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Batch queue bound in events; default 10,000. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Longest time an event waits in the queue before a flush; default 1 s. */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = flushInterval;
      return this;
    }

    /** Batch sender threads (1..16); default 1. */
    public Builder senderThreads(int senderThreads) {
      this.senderThreads = senderThreads;
      return this;
    }

    /**
     * Most requests in flight at once (1..64), and so most {@code argus-http-N} threads; default 4.
     * A sync call that finds every slot taken by a request the server never answered fails at once
     * (counted by the circuit breaker) instead of waiting or starting a thread.
     */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /**
     * Longest {@link ArgusClient#close()} spends delivering what is still queued or spooled, trying
     * the server at once whatever the circuit breaker says; 0 skips the spool drain; default 5000 ms.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** Where the client reports its own problems; default stderr. */
    public Builder diagnostics(ArgusDiagnostics diagnostics) {
      this.diagnostics = diagnostics;
      return this;
    }

    /**
     * Sends {@code http://} requests with a small HTTP/1.1 exchange of the client's own on a plain
     * {@link java.net.Socket} (keep-alive, time-outs and answers as with the default) instead of
     * {@link java.net.HttpURLConnection}, which loads ~200 JDK classes on first use: the Java agent
     * turns it on to cost a short-lived JVM less. {@code https://} always uses
     * {@code HttpURLConnection}. Default false.
     */
    public Builder plainSocket(boolean plainSocket) {
      this.plainSocket = plainSocket;
      return this;
    }

    public ArgusClientConfig build() {
      return new ArgusClientConfig(this);
    }
  }
}
