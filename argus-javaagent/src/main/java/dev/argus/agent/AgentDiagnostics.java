package dev.argus.agent;

import dev.argus.client.ArgusDiagnostics;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's only output: lines on stderr prefixed {@code [argus-agent]}. Without {@code debug}
 * only the first warning is printed, so an unreachable server costs the host one line, not a flood.
 */
final class AgentDiagnostics implements ArgusDiagnostics {
    static final String PREFIX = "[argus-agent] ";

    private final boolean debug;
    private final AtomicBoolean warned = new AtomicBoolean();

    AgentDiagnostics(boolean debug) {
        this.debug = debug;
    }

    @Override
    public void warn(String message, Throwable error) {
        if (debug) {
            System.err.println(PREFIX + message + (error == null ? "" : ": " + error));
            if (error != null) {
                error.printStackTrace(System.err);
            }
        } else if (warned.compareAndSet(false, true)) {
            System.err.println(PREFIX + message + (error == null ? "" : ": " + error)
                    + " (further problems are reported with argus.debug=true)");
        }
    }

    @Override
    public void info(String message) {
        if (debug) {
            System.err.println(PREFIX + message);
        }
    }
}
