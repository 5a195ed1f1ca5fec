package dev.argus.agent;

import dev.argus.client.ArgusEvent;
import dev.argus.client.Throwables;

import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the agent's events: {@code jvm.start}, {@code jvm.stop}, {@code error} and {@code method}.
 * Every event carries the run's session id and a uuid made of a per-run prefix and a counter
 * (cheaper than a random UUID per method call, and unique all the same).
 */
final class Events {
    static final int MAX_FRAMES = Throwables.DEFAULT_MAX_FRAMES;
    static final int MAX_ARGS = 32;

    private final String session;
    private final String uuidPrefix = randomId() + "-";
    private final AtomicLong sequence = new AtomicLong();

    Events(String session) {
        this.session = session;
    }

    /** A random id in UUID form, without SecureRandom (whose start-up the host would pay for). */
    static String randomId() {
        SplittableRandom r = new SplittableRandom();
        String hex = hex16(r.nextLong()) + hex16(r.nextLong());
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0000000000000000".substring(h.length()) + h;
    }

    private ArgusEvent.Builder event(String type) {
        return ArgusEvent.builder(type).sessionId(session).uuid(uuidPrefix + sequence.incrementAndGet());
    }

    ArgusEvent start(AgentSettings s, List<String> command, String agentVersion, String attach, Instant at) {
        String main = JvmInfo.main(command);
        int argCount = Math.max(0, command.size() - 1);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("java_version", System.getProperty("java.version"));
        d.put("java_vendor", System.getProperty("java.vendor"));
        d.put("java_vm", System.getProperty("java.vm.name"));
        d.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        d.put("pid", JvmInfo.pid());
        d.put("host", JvmInfo.host());
        d.put("working_directory", Paths.get("").toAbsolutePath().toString());
        d.put("main", main);
        d.put("command", argCount == 0 || s.commandArgs ? String.join(" ", command)
                : main + " [" + argCount + (argCount == 1 ? " argument" : " arguments") + " redacted]");
        d.put("argument_count", argCount);
        if (s.commandArgs) {
            d.put("arguments", new ArrayList<>(command.subList(Math.min(1, command.size()), command.size())));
        }
        d.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        d.put("available_processors", Runtime.getRuntime().availableProcessors());
        d.put("agent_version", agentVersion);
        d.put("attach", attach);
        return event("jvm.start").level("info").timestamp(at)
                .message("JVM started: " + (main.isEmpty() ? "(unknown main)" : main)
                        + " (pid " + JvmInfo.pid() + ", Java " + System.getProperty("java.version") + ")")
                .data(d).build();
    }

    ArgusEvent stop(long uptimeMs, long dropped) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uptime_ms", uptimeMs);
        d.put("pid", JvmInfo.pid());
        d.put("events_dropped", dropped);
        return event("jvm.stop").level("info").timestamp(Instant.now())
                .message("JVM stopped after " + uptimeMs + " ms").data(d).build();
    }

    ArgusEvent uncaught(Thread thread, Throwable error) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("thread", thread.getName());
        d.put("thread_id", thread.getId());
        d.put("daemon", thread.isDaemon());
        d.put("exception", Throwables.toData(error, MAX_FRAMES));
        String text = error.getMessage();
        return event("error").level("error").timestamp(Instant.now())
                .message("Exception in thread \"" + thread.getName() + "\" " + error.getClass().getName()
                        + (text == null ? "" : ": " + text))
                .data(d).build();
    }

    ArgusEvent method(MethodSite site, long nanos, Object[] args, Throwable thrown, int maxArgLength) {
        long micros = (nanos + 500) / 1000;
        // integer formatting: Double.toString would be a good part of the caller's cost
        long fraction = micros % 1000;
        String took = micros / 1000 + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction + " ms";
        // put(), not data(map): the builder would copy a map built here (hot path, one call per event)
        ArgusEvent.Builder b = event(site.eventType)
                .level(thrown == null ? "info" : "error")
                .timestamp(Instant.now())
                .message(thrown == null
                        ? site.name + " ok in " + took
                        : site.name + " failed in " + took + ": " + thrown.getClass().getName())
                .put("class", site.className)
                .put("method", site.methodName)
                .put("name", site.name)
                .put("duration_ms", micros / 1000.0)
                .put("duration_ns", nanos)
                .put("outcome", thrown == null ? "ok" : "error")
                .put("thread", Thread.currentThread().getName());
        if (thrown != null) {
            b.put("exception", Throwables.toData(thrown, MAX_FRAMES));
        }
        if (args != null) {
            b.put("arguments", describe(args, maxArgLength));
        }
        return b.build();
    }

    /** {@code String.valueOf} of each argument, truncated; a failing toString is reported, not thrown. */
    static List<String> describe(Object[] args, int maxLength) {
        List<String> out = new ArrayList<>(Math.min(args.length, MAX_ARGS));
        for (int i = 0; i < args.length && i < MAX_ARGS; i++) {
            String text;
            try {
                text = String.valueOf(args[i]);
            } catch (RuntimeException | LinkageError e) {
                text = "<toString() threw " + e.getClass().getName() + ">";
            }
            if (text.length() > maxLength) {
                text = text.substring(0, maxLength) + "…(" + text.length() + " chars)";
            }
            out.add(text);
        }
        return out;
    }
}
