package dev.argus.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings, resolved once at start from the agent arguments
 * ({@code -javaagent:argus-agent.jar=url=..,key=..}), then {@code -Dargus.<name>} system
 * properties, then {@code ARGUS_<NAME>} environment variables, then defaults; the first one set wins.
 */
final class AgentSettings {

    /** Annotation every agent recognises, matched by name. */
    static final String OBSERVED = "dev.argus.annotations.Observed";

    /** Server base URL; default {@code http://127.0.0.1:8765}. */
    final String url;
    /** API key; default the local key file {@code ~/.config/argus/api-key} when it exists. */
    final String apiKey;
    /** Event source; null means derived from the main class or jar. */
    final String source;
    /** session_id on every event; default a random UUID per JVM run. */
    final String session;
    /** False switches the agent off completely; default true. */
    final boolean enabled;
    /** Annotation names whose methods are observed; always contains {@link #OBSERVED}. */
    final List<String> annotations;
    /** Class name to method names observed without an annotation; default none. */
    final Map<String, List<String>> methods;
    /** Method events sent synchronously ({@code sync}) instead of batched; default batch. */
    final boolean methodsSync;
    /** Record method arguments ({@code String.valueOf}, truncated); default false. */
    final boolean captureArgs;
    /** Longest recorded argument text in characters; default 256. */
    final int maxArgLength;
    /** Report the main command's arguments in {@code jvm.start}; default false (count only). */
    final boolean commandArgs;
    /** Report uncaught exceptions; default true. */
    final boolean errors;
    /** Send {@code jvm.start} and {@code jvm.stop}; default true. */
    final boolean lifecycle;
    /** Bound for one synchronous send; default 2000 ms. */
    final Duration timeout;
    /** Bound for opening a connection; default 1000 ms. */
    final Duration connectTimeout;
    /**
     * How long the agent waits, when nothing needs its client, before it builds it and sends
     * {@code jvm.start}; default 200 ms ({@code AgentRuntime#START_DELAY_MS}), 0 = at once.
     */
    final long startDelayMillis;
    /** Folder for the client's spool of unsent events; default none. */
    final Path spoolDir;
    /** Print every internal problem (not only the first) to stderr; default false. */
    final boolean debug;

    private AgentSettings(Lookup in) {
        url = in.get("url", "http://127.0.0.1:8765");
        // no lambdas or regular expressions on the start-up path: each costs the host JVM
        // milliseconds of class spinning before main (bench/agent/startup.sh)
        String key = in.getOr("key", "ARGUS_API_KEY");
        apiKey = key != null ? key : localKey();
        source = in.get("source", null);
        String sessionId = in.getOr("session", envName("session"));
        session = sessionId != null ? sessionId : Events.randomId();
        enabled = in.flag("enabled", true);
        List<String> names = new ArrayList<>();
        names.add(OBSERVED);
        for (String n : split(in.get("annotations", ""), ",;")) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        annotations = Collections.unmodifiableList(names);
        methods = parseMethods(in.get("methods", ""));
        String mode = in.get("methodMode", "batch").toLowerCase(Locale.ROOT);
        if (!mode.equals("batch") && !mode.equals("sync")) {
            throw new IllegalArgumentException("methodMode must be batch or sync, not " + mode);
        }
        methodsSync = mode.equals("sync");
        captureArgs = in.flag("captureArgs", false);
        maxArgLength = in.number("maxArgLength", 256, 1);
        commandArgs = in.flag("commandArgs", false);
        errors = in.flag("errors", true);
        lifecycle = in.flag("lifecycle", true);
        timeout = Duration.ofMillis(in.number("timeoutMs", 2000, 1));
        connectTimeout = Duration.ofMillis(in.number("connectTimeoutMs", 1000, 1));
        startDelayMillis = in.number("startDelayMs", (int) AgentRuntime.START_DELAY_MS, 0);
        String spool = in.get("spoolDir", null);
        spoolDir = spool == null ? null : Paths.get(spool);
        debug = in.flag("debug", false);
    }

    /** Resolves the settings; throws IllegalArgumentException naming a malformed setting. */
    static AgentSettings resolve(String agentArgs, Properties systemProperties, Map<String, String> env) {
        return new AgentSettings(new Lookup(parseAgentArgs(agentArgs), systemProperties, env));
    }

    /**
     * Splits {@code name=value,name=value}. Commas inside {@code [...]} and commas followed by a
     * piece without {@code =} belong to the value, so {@code annotations=a.B,c.D} and
     * {@code methods=com.acme.Foo[bar,baz]} need no quoting.
     */
    static Map<String, String> parseAgentArgs(String args) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null || args.isBlank()) {
            return out;
        }
        List<String> pieces = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                pieces.add(args.substring(from, i));
                from = i + 1;
            }
        }
        pieces.add(args.substring(from));
        String lastKey = null;
        for (String piece : pieces) {
            int eq = piece.indexOf('=');
            if (eq > 0 && isName(piece.substring(0, eq).trim())) {
                lastKey = piece.substring(0, eq).trim();
                out.put(lastKey, piece.substring(eq + 1).trim());
            } else if (lastKey != null) {
                out.put(lastKey, out.get(lastKey) + "," + piece.trim());
            } else if (!piece.isBlank()) {
                throw new IllegalArgumentException("agent argument without name=value: " + piece.trim());
            }
        }
        return out;
    }

    private static boolean isName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '.' && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code com.acme.Foo[bar,baz];com.acme.Bar[qux]}. */
    static Map<String, List<String>> parseMethods(String spec) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String entry : split(spec, ";")) {
            int open = entry.indexOf('[');
            if (open <= 0 || !entry.endsWith("]")) {
                throw new IllegalArgumentException("methods entry must look like com.acme.Foo[bar,baz]: " + entry);
            }
            String type = entry.substring(0, open).trim();
            List<String> names = split(entry.substring(open + 1, entry.length() - 1), ",");
            if (names.isEmpty()) {
                throw new IllegalArgumentException("methods entry lists no method: " + entry);
            }
            List<String> known = out.get(type);
            if (known == null) {
                out.put(type, names);
            } else {
                known.addAll(names);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The non-blank pieces of {@code s} between any of the {@code separators}, trimmed. */
    private static List<String> split(String s, String separators) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || separators.indexOf(s.charAt(i)) >= 0) {
                String part = s.substring(from, i);
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
                from = i + 1;
            }
        }
        return out;
    }

    private static String localKey() {
        try {
            Path file = Paths.get(System.getProperty("user.home"), ".config", "argus", "api-key");
            if (Files.isRegularFile(file)) {
                String key = Files.readString(file).strip();
                return key.isEmpty() ? null : key;
            }
        } catch (Exception | Error e) {
            // no readable local key: the server will answer 401, which the client reports
        }
        return null;
    }

    /** {@code captureArgs} → {@code ARGUS_CAPTURE_ARGS}. */
    static String envName(String name) {
        StringBuilder sb = new StringBuilder("ARGUS_");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_');
            }
            sb.append(c == '.' ? '_' : Character.toUpperCase(c));
        }
        return sb.toString();
    }

    /** Looks a setting up in the three places, in order. */
    private static final class Lookup {
        private final Map<String, String> args;
        private final Properties props;
        private final Map<String, String> env;

        Lookup(Map<String, String> args, Properties props, Map<String, String> env) {
            this.args = args;
            this.props = props;
            this.env = env;
        }

        String get(String name, String fallback) {
            String v = getOr(name, envName(name));
            return v != null ? v : fallback;
        }

        /** The trimmed value from the agent arguments, the system properties or the environment; or null. */
        String getOr(String name, String envName) {
            String v = args.get(name);
            if (v == null) {
                v = props.getProperty("argus." + name);
            }
            if (v == null) {
                v = env.get(envName);
            }
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
            return null;
        }

        boolean flag(String name, boolean fallback) {
            String v = get(name, null);
            if (v == null) {
                return fallback;
            }
            switch (v.toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on": case "1":
                    return true;
                case "false": case "no": case "off": case "0":
                    return false;
                default:
                    throw new IllegalArgumentException(name + " must be true or false, not " + v);
            }
        }

        int number(String name, int fallback, int min) {
            String v = get(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min) {
                    throw new IllegalArgumentException(name + " must be at least " + min + ", not " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, not " + v);
            }
        }
    }
}
