package dev.argus.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** POSTs JSON to the server over keep-alive {@link HttpURLConnection}s and classifies the answer. */
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

  private final ExecutorService executor;
  private final URL single;
  private final URL batch;
  private final Duration connectTimeout;
  private final String apiKey;
  private final Duration timeout;

  HttpSender(ArgusClientConfig config) {
    // Our own daemon threads, named argus-http-N, so that logs the HTTP stack emits on them are
    // recognised by the appenders' recursion guard and never keep the host JVM alive.
    ThreadPoolExecutor ex = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), ArgusThreads.factory("argus-http-"));
    this.executor = ex;
    this.single = toUrl(config.url() + "/events");
    this.batch = toUrl(config.url() + "/events/batch");
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
    return post(single, json);
  }

  Result postBatch(String jsonArray) {
    return post(batch, jsonArray);
  }

  private Result post(URL url, String body) {
    Future<Result> f;
    try {
      f = executor.submit(() -> exchange(url, body));
    } catch (RuntimeException e) {
      return new Result(Outcome.FAILED, e.toString());
    }
    try {
      // The connection's own timeouts bound each phase; this bounds the whole call.
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Result(Outcome.FAILED, "no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      return new Result(Outcome.FAILED, "interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      return new Result(Outcome.FAILED, c.toString());
    }
  }

  /**
   * One POST over {@link HttpURLConnection} (kept alive by the JDK between calls). Chosen over
   * {@code java.net.http.HttpClient}, whose start-up costs ~0.3-0.5 s of CPU in a fresh JVM: the
   * Java agent would add that to every tool's start.
   */
  private Result exchange(URL url, String body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
    try {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
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
      if (s == 200 || s == 201) {
        return new Result(Outcome.STORED, null);
      }
      String detail = "HTTP " + s + " " + abbreviate(answer);
      if (s == 400 || s == 413 || s == 415 || s == 422) {
        return new Result(Outcome.REJECTED, detail);
      }
      return new Result(Outcome.FAILED, detail);
    } catch (IOException e) {
      c.disconnect();
      throw e;
    }
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

  void close() {
    executor.shutdown();
  }
}
