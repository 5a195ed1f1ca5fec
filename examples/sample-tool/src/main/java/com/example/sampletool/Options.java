package com.example.sampletool;

import java.util.UUID;

/** The command line: {@code [--events N] [--interval-ms M] [--run ID] [--spool-wait-ms W]}. */
final class Options {
    static final String USAGE = "usage: sample-tool [--events N] [--interval-ms M] [--run ID] [--spool-wait-ms W]\n"
            + "  --events N         items to process; each logs one Logback and one Log4j2 event (default 3)\n"
            + "  --interval-ms M    pause between items (default 0)\n"
            + "  --run ID           run id put into the MDC / ThreadContext as \"run\" (default: random)\n"
            + "  --spool-wait-ms W  before exiting, wait up to W ms until the appenders' spools are delivered (default 0)";

    /** Items to process. */
    final int events;
    /** Pause between items in ms. */
    final long intervalMs;
    /** Run id, in every log event's MDC. */
    final String run;
    /** Longest wait for the appenders' spools to drain before exit, in ms. */
    final long spoolWaitMs;

    private Options(int events, long intervalMs, String run, long spoolWaitMs) {
        this.events = events;
        this.intervalMs = intervalMs;
        this.run = run;
        this.spoolWaitMs = spoolWaitMs;
    }

    /** Parses the arguments; throws IllegalArgumentException with a message for the user. */
    static Options parse(String[] args) {
        int events = 3;
        long intervalMs = 0;
        String run = UUID.randomUUID().toString().substring(0, 8);
        long spoolWaitMs = 0;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--events":
                    events = (int) number(name, value);
                    break;
                case "--interval-ms":
                    intervalMs = number(name, value);
                    break;
                case "--run":
                    run = value;
                    break;
                case "--spool-wait-ms":
                    spoolWaitMs = number(name, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new Options(events, intervalMs, run, spoolWaitMs);
    }

    private static long number(String name, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be between 0 and " + Integer.MAX_VALUE + ": " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }
}
