package com.example.sampletool;

import org.apache.logging.log4j.ThreadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A small command-line tool that reports to Argus without Argus-specific code in its logic: it
 * logs through SLF4J/Logback and, in {@link ReportWriter}, through the Log4j2 API; both
 * {@code logback.xml} and {@code log4j2.xml} route to the Argus appenders in sync mode with a
 * spool; {@link Inventory}'s {@code @Observed} methods become {@code method} events when the JVM
 * runs with {@code -javaagent:argus-agent.jar}.
 *
 * <p>For each item {@code seq} (1..N) it logs {@code "item <seq> counted"} through Logback and
 * {@code "report line <seq> written"} through Log4j2, both with {@code run} and {@code seq} in the
 * MDC / ThreadContext, and then prints {@code seq <seq>} on stdout: by then both log calls have
 * returned, i.e. each event is stored on the server or in the appender's spool.
 */
public final class SampleTool {
    private static final Logger LOG = LoggerFactory.getLogger(SampleTool.class);

    private SampleTool() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sample-tool: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        run(options);
    }

    static void run(Options o) throws InterruptedException {
        Inventory inventory = new Inventory();
        ReportWriter report = new ReportWriter();
        MDC.put("run", o.run);
        ThreadContext.put("run", o.run);
        LOG.atInfo().addKeyValue("events", o.events).addKeyValue("interval_ms", o.intervalMs)
                .log("sample-tool run {} starting", o.run);

        for (int seq = 1; seq <= o.events; seq++) {
            MDC.put("seq", Integer.toString(seq));
            ThreadContext.put("seq", Integer.toString(seq));
            int stock = inventory.count(seq);
            LOG.atInfo().addKeyValue("seq", seq).addKeyValue("stock", stock).log("item {} counted", seq);
            report.line(seq, stock);
            System.out.println("seq " + seq);
            if (o.intervalMs > 0 && seq < o.events) {
                Thread.sleep(o.intervalMs);
            }
        }
        MDC.remove("seq");
        ThreadContext.remove("seq");

        try {
            inventory.audit(o.events);
        } catch (IllegalStateException e) {
            LOG.error("audit failed for run {}", o.run, e);
            report.failed(e);
        }
        report.summary(o.events, o.run);
        System.out.println("done " + o.events);

        if (o.spoolWaitMs > 0) {
            boolean empty = SpoolWait.awaitEmpty(o.spoolWaitMs);
            System.out.println(empty ? "spool empty" : "spool not empty after " + o.spoolWaitMs + " ms");
        }
    }
}
