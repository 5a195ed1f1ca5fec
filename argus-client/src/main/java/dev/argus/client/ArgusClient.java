package dev.argus.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Sends events to an Argus server: {@link #send} one at a time and waiting for the commit, or
 * {@link #enqueue} into a bounded batch pipeline drained by daemon threads. Never throws into
 * the caller. A circuit breaker stops waiting on a server that keeps failing; an optional spool
 * keeps what could not be delivered on disk and replays it in order once the server answers.
 * Every event carries a uuid, so the re-sends this does are stored once.
 *
 * <p>This class is the façade: {@link SyncSender}, {@link BatchPipeline} and
 * {@link SpoolReplayer} do the work over the state they share in {@link Delivery}.
 */
public final class ArgusClient implements AutoCloseable {

  private final ArgusClientConfig config;
  private final Delivery delivery;
  private final SyncSender sync;
  private final BatchPipeline batch;
  private final SpoolReplayer replayer;

  private ArgusClient(ArgusClientConfig config) {
    this.config = config;
    for (String a : config.adjustments()) {
      config.diagnostics().warn(a, null);
    }
    this.delivery = new Delivery(config);
    this.sync = new SyncSender(delivery);
    this.batch = new BatchPipeline(delivery);
    this.replayer = delivery.spool == null ? null : new SpoolReplayer(delivery);
    if (replayer != null) {
      replayer.start();
    }
  }

  /** Creates a client; threads start lazily (batch senders on first enqueue). */
  public static ArgusClient create(ArgusClientConfig config) {
    return new ArgusClient(config);
  }

  /** The settings this client runs with. */
  public ArgusClientConfig config() {
    return config;
  }

  /**
   * Sends one event and waits (at most the timeout) for the server's 201/200. Never throws.
   * Returns true when the server stored it; false otherwise (then spooled if a spool is set).
   * While the circuit breaker is open this returns false at once without touching the network.
   */
  public boolean send(ArgusEvent event) {
    return sync.send(event);
  }

  /**
   * Sends several events in one request ({@code POST /events/batch}, stored in one transaction, in
   * this order) and waits like {@link #send}. Never throws. True when the server stored them all.
   * A batch the server refuses as invalid is re-sent one event at a time, so only bad events go.
   */
  public boolean sendAll(List<ArgusEvent> events) {
    return sync.sendAll(events);
  }

  /**
   * Opens a connection to the server ahead of the first request, where the transport keeps one
   * ({@link ArgusClientConfig#plainSocket()}): the socket classes load and the TCP handshake is
   * done while the caller still prepares what to send. Waits at most the connect timeout; a
   * failure is ignored (the request will report it). Never throws.
   */
  public void warmUp() {
    delivery.http.warmUp();
  }

  /**
   * Counts a failure the caller met on its own way to the same server (a {@link #postBatchOnce}
   * that could not connect or got no answer) as one failed request of this client: with the
   * agent's threshold of one the circuit breaker opens, so the next send spools (or drops) at once
   * instead of waiting a second time-out on a server that just failed. Never throws.
   */
  public void serverFailed(String why) {
    delivery.breaker.failure(why);
  }

  /**
   * One {@code POST /events/batch} of {@code events} (in this order, one transaction on the
   * server) on a new plain socket, without a client: no threads, no pool, no breaker, no spool,
   * nothing retried or counted. For a caller about to exit with a few events that no client was
   * needed for so far, the cheapest way to store them; when this does not answer 200/201 the
   * caller sends the same events (same uuids: stored once) through a client.
   * Only for plain {@code http://host[:port][/path]} URLs, the ones
   * {@link ArgusClientConfig.Builder#plainSocket(boolean)} takes.
   *
   * @return the HTTP status; 200 or 201 means stored
   * @throws IOException when the connection could not be made ({@code connectMillis}) or the
   *     answer did not come ({@code readMillis})
   * @throws IllegalArgumentException before any network use, for any other URL (https, ...) or an
   *     API key with a character not allowed in a header (CR/LF; the key is never in the message)
   */
  public static int postBatchOnce(String url, String apiKey, String source, List<ArgusEvent> events,
      int connectMillis, int readMillis) throws IOException {
    PlainHttp http = PlainHttp.forUrl(url, 1);
    if (http == null) {
      throw new IllegalArgumentException("not a plain http:// URL");
    }
    StringBuilder body = new StringBuilder(512 * events.size());
    body.append('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      events.get(i).appendJson(body, source);
    }
    body.append(']');
    boolean entered = RecursionGuard.enter();
    try {
      // anonymous class, not a lambda: this runs in JVMs that are exiting and may not have
      // bootstrapped the lambda metafactory yet
      return http.post(http.path("/events/batch"), body.toString().getBytes(StandardCharsets.UTF_8), apiKey,
          Math.max(1, connectMillis), Math.max(1, readMillis), new PlainHttp.Holder() {
            @Override
            public boolean hold(Closeable connection) {
              return true;
            }
          }).status;
    } finally {
      http.close();
      RecursionGuard.exit(entered);
    }
  }

  /** Non-blocking hand-off to the batch pipeline; false (and counted) when the queue is full. */
  public boolean enqueue(ArgusEvent event) {
    return batch.enqueue(event);
  }

  /** Sends everything queued so far, waiting at most {@code max}. */
  public void flush(Duration max) {
    batch.flush(max);
  }

  /** Events dropped so far: queue full, closed, rejected by the server, or undeliverable. */
  public long droppedCount() {
    return delivery.droppedCount();
  }

  /** Events the server acknowledged (not counting spool replays). */
  public long sentCount() {
    return delivery.sentCount();
  }

  /** Events written to the spool. */
  public long spooledCount() {
    return delivery.spooledCount();
  }

  /** Events the server refused as invalid (4xx other than auth/throttling). */
  public long rejectedCount() {
    return delivery.rejectedCount();
  }

  /** True while the circuit breaker is open (the server failed repeatedly). */
  public boolean isBreakerOpen() {
    return delivery.breaker.isOpen();
  }

  /** True when a spool is configured and holds events not yet acknowledged by the server. */
  public boolean hasSpooledEvents() {
    return delivery.spool != null && !delivery.spool.isEmpty();
  }

  /** HTTP exchanges running now (tests). */
  int inFlightForTests() {
    return delivery.http.inFlight();
  }

  /** True while the current thread is inside the client's own sending code (recursion guard). */
  public static boolean isSendingThread() {
    return RecursionGuard.isSendingThread();
  }

  /**
   * True for a log event the client itself caused: logged on a thread that is sending, on one of
   * its own {@code argus-} threads, or by the JDK HTTP stack. A logging adapter that shipped such
   * events would feed back forever.
   */
  public static boolean isOwnEvent(String threadName, String loggerName) {
    return RecursionGuard.isOwnEvent(threadName, loggerName);
  }

  /**
   * Drains the batch queue (bounded by twice the timeout plus the flush interval), stops the daemon
   * threads, then delivers what the spool holds: it tries the server at once, whatever the circuit
   * breaker says, and keeps trying for at most {@code closeTimeout}. What is still spooled after
   * that stays on disk for the next client on the same directory or {@code argus spool flush}.
   */
  @Override
  public void close() {
    if (!batch.beginClose()) {
      return;
    }
    boolean entered = RecursionGuard.enter();
    try {
      // plus, not multipliedBy: Duration.multipliedBy goes through BigDecimal (classes a JVM
      // that is exiting would load just for this)
      batch.flush(config.timeout().plus(config.timeout()).plus(config.flushInterval()));
      delivery.stop();
      batch.stopSenders();
      if (replayer != null) {
        replayer.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      delivery.close();
      RecursionGuard.exit(entered);
    }
  }
}
