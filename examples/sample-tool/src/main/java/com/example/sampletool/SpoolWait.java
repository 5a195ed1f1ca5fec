package com.example.sampletool;

import ch.qos.logback.classic.LoggerContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Waits (bounded) until both Argus appenders have delivered what they spooled while the server was
 * unreachable. A tool does not need this: a spool left behind is replayed by the next run. It
 * is here so a short-lived run can finish its own delivery (and so fault drills can watch it).
 */
final class SpoolWait {
    private SpoolWait() {
    }

    /** True when no Argus appender holds spooled events (within {@code maxMillis}). */
    static boolean awaitEmpty(long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (true) {
            if (!anySpooled()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(100);
        }
    }

    private static boolean anySpooled() {
        for (dev.argus.client.ArgusClient c : clients()) {
            if (c.hasSpooledEvents()) {
                return true;
            }
        }
        return false;
    }

    private static List<dev.argus.client.ArgusClient> clients() {
        List<dev.argus.client.ArgusClient> out = new ArrayList<>();
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        Iterator<ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it =
                logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (it.hasNext()) {
            Object a = it.next();
            if (a instanceof dev.argus.logback.ArgusAppender) {
                addIfRunning(out, ((dev.argus.logback.ArgusAppender) a).getClient());
            }
        }
        org.apache.logging.log4j.core.LoggerContext log4j =
                (org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false);
        for (Appender a : log4j.getConfiguration().getAppenders().values()) {
            if (a instanceof dev.argus.log4j2.ArgusAppender) {
                addIfRunning(out, ((dev.argus.log4j2.ArgusAppender) a).getClient());
            }
        }
        return out;
    }

    private static void addIfRunning(List<dev.argus.client.ArgusClient> out, dev.argus.client.ArgusClient c) {
        if (c != null) {
            out.add(c);
        }
    }
}
