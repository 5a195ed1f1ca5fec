package dev.argus.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Measures both appenders against a real argus-service started from its jar on loopback: sync
 * per-call latency, batch enqueue cost, sustained batch throughput, and the cost of a log call
 * while the server is down and the breaker is open. Prints a Markdown table.
 */
public final class AppenderBench {

  private static final String KEY = "bench-key-0123456789abcdef";

  /** One appender behind a plain "log one line" call. */
  interface Target extends AutoCloseable {
    void log(String msg);

    long dropped();

    void flush();

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "argus-service/target/argus-service.jar");
    Path dir = Files.createTempDirectory("argus-bench");
    int port = freePort();
    Process server = startServer(jar, dir, port);
    String url = "http://127.0.0.1:" + port;
    Map<String, String[]> rows = new LinkedHashMap<>();
    try {
      for (String fw : new String[] {"logback", "log4j2"}) {
        rows.put(fw, run(fw, url, freePort()));
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
    System.out.println();
    System.out.println("| measure | Logback | Log4j2 |");
    System.out.println("|---|---|---|");
    String[] names = {"sync log call p50", "sync log call p99", "batch enqueue median (per call)",
        "batch enqueue p99 (per call)", "sustained batch throughput (events/s, 1 sender)",
        "sustained batch throughput (events/s, 2 senders)", "breaker open: log call p50",
        "breaker open: log call p99"};
    for (int i = 0; i < names.length; i++) {
      System.out.println("| " + names[i] + " | " + rows.get("logback")[i] + " | " + rows.get("log4j2")[i] + " |");
    }
  }

  private static String[] run(String fw, String url, int deadPort) throws Exception {
    String[] out = new String[8];
    // 1. sync per-call latency
    try (Target t = target(fw, url, "bench-sync-" + fw, "mode", "sync")) {
      for (int i = 0; i < 2000; i++) {
        t.log("warmup " + i);
      }
      long[] ns = new long[10_000];
      for (int i = 0; i < ns.length; i++) {
        long t0 = System.nanoTime();
        t.log("sync " + i);
        ns[i] = System.nanoTime() - t0;
      }
      Arrays.sort(ns);
      out[0] = us(ns[ns.length / 2]);
      out[1] = us(ns[ns.length * 99 / 100]);
    }
    // 2. enqueue cost (queue big enough to never drop)
    try (Target t = target(fw, url, "bench-enq-" + fw, "mode", "batch", "queueCapacity", "1000000",
        "batchSize", "1000")) {
      for (int i = 0; i < 50_000; i++) {
        t.log("warmup " + i);
      }
      long[] ns = new long[200_000];
      for (int i = 0; i < ns.length; i++) {
        long t0 = System.nanoTime();
        t.log("enqueue " + i);
        ns[i] = System.nanoTime() - t0;
      }
      Arrays.sort(ns);
      out[2] = us(ns[ns.length / 2]);
      out[3] = us(ns[ns.length * 99 / 100]);
    }
    // 3. sustained throughput: from the first log call until close() returns with all delivered
    for (int senders = 1; senders <= 2; senders++) {
      int n = 500_000;
      long t0 = System.nanoTime();
      long dropped;
      try (Target t = target(fw, url, "bench-tp-" + fw + "-" + senders, "mode", "batch",
          "queueCapacity", "1000000", "batchSize", "1000", "senderThreads", String.valueOf(senders),
          "timeoutMs", "10000")) {
        for (int i = 0; i < n; i++) {
          t.log("throughput " + i);
        }
        t.flush(); // wait for delivery; close() alone bounds its drain by 2 x timeout + flush interval
        t.close();
        dropped = t.dropped();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      long stored = count(url, "bench-tp-" + fw + "-" + senders);
      out[4 + senders - 1] = String.format("%,.0f (stored %,d of %,d, dropped %d)", stored / secs, stored, n, dropped);
    }
    // 4. server down, breaker open
    try (Target t = target(fw, "http://127.0.0.1:" + deadPort, "bench-down-" + fw, "mode", "sync",
        "breakerCooldownMs", "600000")) {
      for (int i = 0; i < 10; i++) {
        t.log("opening " + i);
      }
      long[] ns = new long[200_000];
      for (int i = 0; i < ns.length; i++) {
        long t0 = System.nanoTime();
        t.log("down " + i);
        ns[i] = System.nanoTime() - t0;
      }
      Arrays.sort(ns);
      out[6] = us(ns[ns.length / 2]);
      out[7] = us(ns[ns.length * 99 / 100]);
    }
    return out;
  }

  private static Target target(String fw, String url, String source, String... kv) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("url", url);
    s.put("apiKey", KEY);
    s.put("source", source);
    for (int i = 0; i < kv.length; i += 2) {
      s.put(kv[i], kv[i + 1]);
    }
    return fw.equals("logback") ? logback(s) : log4j2(s);
  }

  private static Target logback(Map<String, String> s) {
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    dev.argus.logback.ArgusAppender a = new dev.argus.logback.ArgusAppender();
    a.setContext(ctx);
    a.setName("argus");
    a.setUrl(s.get("url"));
    a.setApiKey(s.get("apiKey"));
    a.setSource(s.get("source"));
    a.setMode(s.get("mode"));
    if (s.containsKey("queueCapacity")) {
      a.setQueueCapacity(Integer.parseInt(s.get("queueCapacity")));
    }
    if (s.containsKey("batchSize")) {
      a.setBatchSize(Integer.parseInt(s.get("batchSize")));
    }
    if (s.containsKey("senderThreads")) {
      a.setSenderThreads(Integer.parseInt(s.get("senderThreads")));
    }
    if (s.containsKey("timeoutMs")) {
      a.setTimeoutMs(Long.parseLong(s.get("timeoutMs")));
    }
    if (s.containsKey("breakerCooldownMs")) {
      a.setBreakerCooldownMs(Long.parseLong(s.get("breakerCooldownMs")));
    }
    a.start();
    ch.qos.logback.classic.Logger log = ctx.getLogger("bench.Logger");
    log.setLevel(Level.INFO);
    log.addAppender(a);
    return new Target() {
      private boolean closed;
      private long dropped;

      @Override
      public void log(String msg) {
        log.info(msg);
      }

      @Override
      public long dropped() {
        return dropped;
      }

      @Override
      public void flush() {
        a.getClient().flush(java.time.Duration.ofMinutes(10));
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          dev.argus.client.ArgusClient c = a.getClient();
          ctx.stop();
          dropped = c.droppedCount();
        }
      }
    };
  }

  private static Target log4j2(Map<String, String> s) {
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setStatusLevel(org.apache.logging.log4j.Level.WARN);
    b.setConfigurationName(s.get("source"));
    AppenderComponentBuilder ab = b.newAppender("argus", "Argus");
    s.forEach(ab::addAttribute);
    b.add(ab);
    b.add(b.newRootLogger(org.apache.logging.log4j.Level.INFO).add(b.newAppenderRef("argus")));
    org.apache.logging.log4j.core.LoggerContext ctx = new org.apache.logging.log4j.core.LoggerContext(s.get("source"));
    ctx.start(b.build());
    org.apache.logging.log4j.Logger log = ctx.getLogger("bench.Logger");
    dev.argus.log4j2.ArgusAppender a = ctx.getConfiguration().getAppender("argus");
    return new Target() {
      private boolean closed;
      private long dropped;

      @Override
      public void log(String msg) {
        log.info(msg);
      }

      @Override
      public long dropped() {
        return dropped;
      }

      @Override
      public void flush() {
        a.getClient().flush(java.time.Duration.ofMinutes(10));
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          dev.argus.client.ArgusClient c = a.getClient();
          ctx.stop();
          dropped = c.droppedCount();
        }
      }
    };
  }

  private static String us(long ns) {
    return String.format("%.2f µs", ns / 1000.0);
  }

  private static long count(String url, String source) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long n = 0;
    long after = 0;
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url
          + "/events?order=asc&limit=1000&source=" + source + "&after_id=" + after))
          .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
      String body = r.body();
      int found = 0;
      int idx = 0;
      long last = after;
      while ((idx = body.indexOf("\"id\":", idx)) >= 0) {
        idx += 5;
        int end = idx;
        while (end < body.length() && Character.isDigit(body.charAt(end))) {
          end++;
        }
        last = Math.max(last, Long.parseLong(body.substring(idx, end)));
        found++;
      }
      n += found;
      if (found < 1000) {
        return n;
      }
      after = last;
    }
  }

  private static Process startServer(Path jar, Path dir, int port) throws Exception {
    int admin = freePort();
    Path cfg = dir.resolve("argus.yml");
    Files.writeString(cfg, "server:\n"
        + "  applicationConnectors:\n    - type: http\n      bindHost: 127.0.0.1\n      port: " + port + "\n"
        + "  adminConnectors:\n    - type: http\n      bindHost: 127.0.0.1\n      port: " + admin + "\n"
        + "  requestLog:\n    appenders: []\n"
        + "database:\n  path: " + dir.resolve("events.db") + "\n"
        + "apiKeys:\n  - key: " + KEY + "\n    name: bench\n"
        + "logging:\n  level: INFO\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Duser.home=" + dir, "-jar", jar.toAbsolutePath().toString(), "server", cfg.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/ping")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return p;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server did not start; see " + dir.resolve("server.log"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
