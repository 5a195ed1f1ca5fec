package dev.argus.it.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.argus.logback.ArgusAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Child-JVM tool for {@link SpoolDrillIT}: a Logback Argus appender in sync mode with a spool (the
 * default breaker: 3 failures, then {@code breakerCooldownMs}), logs {@code count} events with MDC
 * {@code seq} 1..count, printing {@code seq N} every 100 and {@code done N} at the end; then waits
 * until the file {@code exitWhen} exists and stops Logback (the appender's close drains its spool)
 * and prints {@code closed}.
 *
 * <p>Arguments: url apiKey source spoolDir count closeTimeoutMs breakerCooldownMs exitWhen.
 */
public final class SpoolDrillTool {

  public static void main(String[] args) throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ArgusAppender appender = new ArgusAppender();
    appender.setContext(ctx);
    appender.setName("argus");
    appender.setUrl(args[0]);
    appender.setApiKey(args[1]);
    appender.setSource(args[2]);
    appender.setSpoolDir(args[3]);
    int count = Integer.parseInt(args[4]);
    appender.setCloseTimeoutMs(Long.parseLong(args[5]));
    appender.setBreakerCooldownMs(Long.parseLong(args[6]));
    Path exitWhen = Path.of(args[7]);
    appender.setMode("sync");
    appender.setTimeoutMs(1000);
    appender.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    Logger log = ctx.getLogger("drill");
    System.out.println("started");
    for (int seq = 1; seq <= count; seq++) {
      MDC.put("seq", Integer.toString(seq));
      log.info("drill event {}", seq);
      if (seq % 100 == 0) {
        System.out.println("seq " + seq);
      }
      Thread.sleep(seq % 4 == 0 ? 1 : 0); // ~3,000 events take a few seconds with the server up
    }
    MDC.remove("seq");
    System.out.println("done " + count + " spooled " + appender.getClient().spooledCount()
        + " dropped " + appender.getClient().droppedCount());
    while (!Files.exists(exitWhen)) {
      Thread.sleep(20);
    }
    long t0 = System.nanoTime();
    ctx.stop(); // stops the appender: its client drains the spool within closeTimeoutMs
    System.out.println("closed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }
}
