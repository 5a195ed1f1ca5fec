package dev.argus.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs JSON to the server over keep-alive {@link HttpURLConnection}s (or, for {@code http://}
 * with {@link ArgusClientConfig#plainSocket()}, {@link PlainHttp}) and classifies the answer.
 * At most {@code maxInFlight} exchanges run at once, each on one of at most as many
 * {@code argus-http-N} threads; a caller never waits longer than its budget.
 */
final class HttpSender {

  enum Outcome {
    /** 201 captured or 200 duplicate: the server holds the event(s). */
    STORED,
    /** 400/413/415/422: the server will never accept this payload; retrying is pointless. */
    REJECTED,
    /** Connection problem, timeout, 401/403/408/429/5xx: worth retrying later. */
    FAILED
  }

  static final class Result {
    final Outcome outcome;
    final String detail;

    Result(Outcome outcome, String detail) {
      this.outcome = outcome;
      this.detail = detail;
    }
  }

  private final ThreadPoolExecutor executor;
  private final Semaphore permits;
  private final int maxInFlight;
  /** Exchanges whose caller gave up (time-out) and that are being aborted but have not ended yet. */
  private final AtomicInteger abandoned = new AtomicInteger();
  /** Null when requests go over {@link PlainHttp} (no {@link URL}: its handler look-up costs a JVM ~15 ms). */
  private final URL single;
  private final URL batch;
  /** Null unless plain sockets are configured and the URL is a plain {@code http://host[:port][/path]}. */
  private final PlainHttp plain;
  private final Duration connectTimeout;
  private final String apiKey;
  private final Duration timeout;
  private volatile boolean closed;

  HttpSender(ArgusClientConfig config) {
    this.maxInFlight = config.maxInFlight();
    this.permits = new Semaphore(maxInFlight);
    // At most maxInFlight threads, our own daemons named argus-http-N (so that logs the HTTP stack
    // emits on them are recognised by the recursion guard and never keep the host JVM alive). The
    // permits bound the tasks, so the queue never holds more than maxInFlight of them either.
    ThreadPoolExecutor ex = new ThreadPoolExecutor(maxInFlight, maxInFlight, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), ArgusThreads.factory("argus-http-"));
    ex.allowCoreThreadTimeOut(true);
    this.executor = ex;
    this.plain = config.plainSocket() ? PlainHttp.forUrl(config.url(), maxInFlight) : null;
    this.single = plain != null ? null : toUrl(config.url() + "/events");
    this.batch = plain != null ? null : toUrl(config.url() + "/events/batch");
    this.connectTimeout = config.connectTimeout();
    this.apiKey = config.apiKey();
    this.timeout = config.timeout();
  }

  private static URL toUrl(String url) {
    try {
      return new URL(url);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
  }

  Result postOne(String json) {
    return post(false, json, timeout.toNanos());
  }

  Result postBatch(String jsonArray) {
    return post(true, jsonArray, timeout.toNanos());
  }

  /** Like {@link #postBatch} with its own bound (at most the configured timeout). */
  Result postBatch(String jsonArray, long budgetNanos) {
    return post(true, jsonArray, Math.min(budgetNanos, timeout.toNanos()));
  }

  /** Exchanges running now (for tests and diagnostics). */
  int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  /**
   * Runs one exchange on a pool thread and waits at most {@code budgetNanos} for it, including
   * the wait for a free slot. Never more than {@code maxInFlight} exchanges (and threads) exist:
   * when every slot is taken and one of them belongs to a caller that already gave up (the server
   * is not answering), this fails at once instead of queueing behind it. On time-out the waiting
   * side aborts the connection, so the pool thread ends now instead of at its read time-out.
   */
  private Result post(boolean toBatch, String body, long budgetNanos) {
    long deadline = System.nanoTime() + budgetNanos;
    if (closed) {
      return new Result(Outcome.FAILED, "client closed");
    }
    try {
      if (!permits.tryAcquire()) {
        if (abandoned.get() > 0) {
          return new Result(Outcome.FAILED, "all " + maxInFlight
              + " connections are busy with requests the server never answered");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          return new Result(Outcome.FAILED, "no free connection within "
              + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms (" + maxInFlight + " busy)");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.FAILED, "interrupted");
    }
    Exchange x = new Exchange(toBatch, body, deadline);
    Future<Result> f;
    try {
      f = executor.submit(x);
    } catch (RuntimeException e) {
      permits.release();
      return new Result(Outcome.FAILED, e.toString());
    }
    try {
      long left = deadline - System.nanoTime();
      return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      x.abort();
      return noAnswer(budgetNanos);
    } catch (InterruptedException e) {
      x.abort();
      Thread.currentThread().interrupt();
      return new Result(Outcome.FAILED, "interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      if (c instanceof SocketTimeoutException && !String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")) {
        // the socket's read time-out is the time left of the same budget: whichever fires first, one answer
        return noAnswer(budgetNanos);
      }
      return new Result(Outcome.FAILED, c.toString());
    }
  }

  private static Result noAnswer(long budgetNanos) {
    return new Result(Outcome.FAILED, "no answer within " + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms");
  }

  /** Opens a plain-socket connection for the next request (see {@link ArgusClient#warmUp()}). */
  void warmUp() {
    if (plain != null && !closed) {
      plain.preconnect((int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
    }
  }

  /** True when requests go over {@link PlainHttp} (tests). */
  boolean usesPlainSocket() {
    return plain != null;
  }

  /** One request on a pool thread; holds a slot until it ends, however its caller fared. */
  private final class Exchange implements Callable<Result>, PlainHttp.Holder {
    private final boolean toBatch;
    private final String body;
    private final long deadline;
    private final Object lock = new Object();
    private Closeable connection;
    private boolean aborted;
    private boolean done;

    Exchange(boolean toBatch, String body, long deadline) {
      this.toBatch = toBatch;
      this.body = body;
      this.deadline = deadline;
    }

    @Override
    public Result call() throws IOException {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new Result(Outcome.FAILED, "no time left to send");
        }
        if (plain != null) {
          return plainExchange(toBatch, body, left, this);
        }
        HttpURLConnection c = (HttpURLConnection) (toBatch ? batch : single).openConnection(Proxy.NO_PROXY);
        if (!hold(new Closeable() {
          @Override
          public void close() {
            c.disconnect();
          }
        })) {
          return new Result(Outcome.FAILED, "aborted");
        }
        return exchange(c, body, left);
      } finally {
        synchronized (lock) {
          done = true;
          if (aborted) {
            abandoned.decrementAndGet();
          }
        }
        permits.release();
      }
    }

    @Override
    public boolean hold(Closeable c) {
      synchronized (lock) {
        if (aborted) {
          return false;
        }
        connection = c;
        return true;
      }
    }

    /** Called by the waiting side on time-out: closes the socket under the pool thread. */
    void abort() {
      Closeable c;
      synchronized (lock) {
        if (done || aborted) {
          return;
        }
        aborted = true;
        abandoned.incrementAndGet();
        c = connection;
      }
      if (c != null) {
        try {
          c.close();
        } catch (IOException | RuntimeException ignored) {
          // closing a socket that is being used; the pool thread sees an IOException and ends
        }
      }
    }
  }

  /**
   * One POST over {@link HttpURLConnection} (kept alive by the JDK between calls). Chosen over
   * {@code java.net.http.HttpClient}, whose start-up costs ~0.3-0.5 s of CPU in a fresh JVM: the
   * Java agent would add that to every tool's start. Connect and read time-outs are the time left
   * of the caller's budget, so even a connection nobody aborts ends soon after its caller gave up.
   */
  private Result exchange(HttpURLConnection c, String body, long leftNanos) throws IOException {
    try {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
      c.setConnectTimeout((int) Math.max(1, Math.min(millis, connectTimeout.toMillis())));
      c.setReadTimeout(millis);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("User-Agent", "argus-client");
      if (apiKey != null && !apiKey.isEmpty()) {
        c.setRequestProperty("X-API-Key", apiKey);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      c.setFixedLengthStreamingMode(bytes.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(bytes);
      }
      int s = c.getResponseCode();
      String answer = readFully(s >= 400 ? c.getErrorStream() : c.getInputStream());
      return classify(s, answer);
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      throw e;
    }
  }

  /** The same exchange over {@link PlainHttp}: connect and read time-outs from the time left. */
  private Result plainExchange(boolean toBatch, String body, long leftNanos, PlainHttp.Holder holder)
      throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
    int connectMillis = (int) Math.max(1, Math.min(millis, connectTimeout.toMillis()));
    String path = plain.path(toBatch ? "/events/batch" : "/events");
    PlainHttp.Answer a = plain.post(path, body.getBytes(StandardCharsets.UTF_8), apiKey, connectMillis, millis,
        holder);
    return classify(a.status, a.body);
  }

  private static Result classify(int s, String answer) {
    if (s == 200 || s == 201) {
      return new Result(Outcome.STORED, null);
    }
    String detail = "HTTP " + s + " " + abbreviate(answer);
    if (s == 400 || s == 413 || s == 415 || s == 422) {
      return new Result(Outcome.REJECTED, detail);
    }
    return new Result(Outcome.FAILED, detail);
  }

  /** Reads the whole body so that the connection can be reused. */
  private static String readFully(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (InputStream body = in) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  /** Stops taking requests; running exchanges end by their own time-outs (threads are daemons). */
  void close() {
    closed = true;
    executor.shutdown();
    if (plain != null) {
      plain.close();
    }
  }
}
