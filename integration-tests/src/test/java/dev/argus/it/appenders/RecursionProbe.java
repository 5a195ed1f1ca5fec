package dev.argus.it.appenders;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Child-JVM program for the recursion test: routes everything java.util.logging sees (where the
 * JDK's HTTP stack logs: {@code sun.net.www.protocol.http.HttpURLConnection}, which the client
 * uses, and {@code jdk.httpclient}) into the logging framework
 * whose root logger feeds an Argus appender in sync mode, then logs {@code count} events on logger
 * {@code probe}. A feedback loop would hang, overflow or store extra events.
 *
 * <p>Arguments: framework (logback|log4j2), url, apiKey, source, count.
 */
public final class RecursionProbe {

  public static void main(String[] args) throws Exception {
    String framework = args[0];
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("url", args[1]);
    settings.put("apiKey", args[2]);
    settings.put("source", args[3]);
    settings.put("mode", "sync");
    int count = Integer.parseInt(args[4]);

    // The appender sits on the root logger, so JDK records forwarded under their own logger
    // names (as jul-to-slf4j or log4j-jul would do) reach it.
    AppenderHarness h = framework.equals("logback") ? new LogbackHarness(settings, true)
        : new Log4j2Harness(settings);
    AtomicInteger jdkRecords = new AtomicInteger();
    java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
    for (Handler old : root.getHandlers()) {
      root.removeHandler(old);
    }
    root.setLevel(java.util.logging.Level.ALL);
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        String name = r.getLoggerName();
        if (name != null && (name.startsWith("sun.net.") || name.startsWith("jdk.") || name.startsWith("java.net"))) {
          jdkRecords.incrementAndGet();
          h.logAs(name, String.valueOf(r.getMessage()));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    for (int i = 0; i < count; i++) {
      h.log("info", "probe " + i, null);
    }
    h.close();
    System.out.println("jdk-records=" + jdkRecords.get());
    if (jdkRecords.get() > 0) {
      System.out.println("jdk-records>0");
    }
  }
}
