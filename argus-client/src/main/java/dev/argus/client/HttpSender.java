package dev.argus.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** POSTs JSON to the server over one keep-alive JDK HttpClient and classifies the answer. */
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

  private final HttpClient http;
  private final ExecutorService executor;
  private final URI single;
  private final URI batch;
  private final String apiKey;
  private final Duration timeout;

  HttpSender(ArgusClientConfig config) {
    // Our own daemon threads, named argus-http-N, so that logs the HTTP stack emits on them are
    // recognised by the appenders' recursion guard and never keep the host JVM alive.
    ThreadPoolExecutor ex = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), ArgusThreads.factory("argus-http-"));
    this.executor = ex;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on plain http
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(ex);
    if (config.url().regionMatches(true, 0, "http://", 0, 7)) {
      // Plain http never handshakes, but the builder's default SSLContext loads the JDK trust
      // store (~100 ms CPU in a fresh JVM): an agent would add that to every start-up.
      SSLContext unused = plainHttpContext();
      if (unused != null) {
        builder.sslContext(unused);
      }
    }
    this.http = builder.build();
    this.single = URI.create(config.url() + "/events");
    this.batch = URI.create(config.url() + "/events/batch");
    this.apiKey = config.apiKey();
    this.timeout = config.timeout();
  }

  private static SSLContext plainHttpContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[0], new TrustManager[0], null);
      return context;
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  Result postOne(String json) {
    return post(single, json);
  }

  Result postBatch(String jsonArray) {
    return post(batch, jsonArray);
  }

  private Result post(URI uri, String body) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "argus-client")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (apiKey != null && !apiKey.isEmpty()) {
      rb.header("X-API-Key", apiKey);
    }
    CompletableFuture<HttpResponse<String>> f;
    try {
      f = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return new Result(Outcome.FAILED, e.toString());
    }
    HttpResponse<String> resp;
    try {
      // The request timeout does not cover every phase on every JDK; this bounds the whole call.
      resp = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
    int s = resp.statusCode();
    if (s == 200 || s == 201) {
      return new Result(Outcome.STORED, null);
    }
    String detail = "HTTP " + s + " " + abbreviate(resp.body());
    if (s == 400 || s == 413 || s == 415 || s == 422) {
      return new Result(Outcome.REJECTED, detail);
    }
    return new Result(Outcome.FAILED, detail);
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
