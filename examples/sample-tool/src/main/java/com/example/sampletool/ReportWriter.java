package com.example.sampletool;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * The part of the tool written against the Log4j2 API (as a library inside a tool often is). Its
 * events reach Argus through the {@code <Argus>} appender in {@code log4j2.xml}, independently of
 * the Logback side.
 */
final class ReportWriter {
    private static final Logger LOG = LogManager.getLogger(ReportWriter.class);

    /** One line per item; the ThreadContext ({@code run}, {@code seq}) becomes {@code data.mdc}. */
    void line(int seq, int stock) {
        LOG.info("report line {} written (stock {})", seq, stock);
    }

    /** The audit failure, with its exception and cause chain in {@code data.exception}. */
    void failed(Exception e) {
        LOG.error("report incomplete: {}", e.getMessage(), e);
    }

    /** A map message: its entries become {@code data.key_values}. */
    void summary(int items, String run) {
        LOG.info(new StringMapMessage()
                .with("summary", "report finished")
                .with("items", Integer.toString(items))
                .with("run", run));
    }
}
