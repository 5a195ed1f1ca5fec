package dev.argus.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code argus-service.jar} as a child JVM on free loopback ports with its own
 * SQLite file, the way a user runs it; the tests talk to it over HTTP only.
 *
 * <p>Use {@link #start(Path)} (or {@link #builder(Path)} for extra YAML) and close it at the end.
 * {@link #kill9()} and {@link #restart()} keep the ports and the database, so clients can
 * reconnect to the same URL.
 */
public final class ArgusServer implements AutoCloseable {
    public static final String API_KEY = "it-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private final int adminPort;
    private final List<String> jvmArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private ArgusServer(Path dir, String extraYaml, List<String> jvmArgs) throws IOException {
        this.dir = dir;
        this.port = freePort();
        this.adminPort = freePort();
        this.jvmArgs = jvmArgs;
        this.config = dir.resolve("argus.yml");
        this.log = dir.resolve("server.log");
        String yaml = "server:\n"
                + "  applicationConnectors:\n    - type: http\n      bindHost: 127.0.0.1\n      port: " + port + "\n"
                + "  adminConnectors:\n    - type: http\n      bindHost: 127.0.0.1\n      port: " + adminPort + "\n"
                + "  requestLog:\n    appenders: []\n"
                + "database:\n  path: " + dbPath() + "\n"
                + "apiKeys:\n  - key: " + API_KEY + "\n    name: it\n"
                + "logging:\n  level: INFO\n"
                + (extraYaml == null ? "" : extraYaml);
        Files.writeString(config, yaml);
    }

    /** Starts a server with the default test configuration in {@code dir}. */
    public static ArgusServer start(Path dir) {
        return builder(dir).start();
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Collects extra top-level YAML (e.g. {@code "retention:\n  days: 1\n"}) and JVM options. */
    public static final class Builder {
        private final Path dir;
        private final StringBuilder yaml = new StringBuilder();
        private final List<String> jvmArgs = new ArrayList<>();

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder yaml(String topLevelYaml) {
            yaml.append(topLevelYaml);
            if (!topLevelYaml.endsWith("\n")) {
                yaml.append('\n');
            }
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public ArgusServer start() {
            try {
                ArgusServer server = new ArgusServer(dir, yaml.toString(), jvmArgs);
                server.launch();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Path serviceJar() {
        String prop = System.getProperty("argus.service.jar");
        Path jar = prop != null ? Paths.get(prop) : Paths.get("../argus-service/target/argus-service.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("service jar not built: " + jar.toAbsolutePath());
        }
        return jar.toAbsolutePath().normalize();
    }

    public static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.add("-Xmx512m");
        cmd.add("-Duser.home=" + dir.resolve("home"));
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(serviceJar().toString());
        cmd.add("server");
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("ARGUS_API_KEY");
        pb.environment().remove("ARGUS_URL");
        pb.environment().put("ARGUS_HOME", dir.resolve("home-data").toString());
        process = pb.start();
        awaitReady(Duration.ofSeconds(90));
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("argus-service exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("argus-service did not start within " + timeout + ":\n" + logText());
    }

    /** Base URL of the application port, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public int port() {
        return port;
    }

    public String apiKey() {
        return API_KEY;
    }

    public Path dir() {
        return dir;
    }

    public Path dbPath() {
        return dir.resolve("events.db");
    }

    public Path configFile() {
        return config;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hooks, no flush; what was committed must survive. */
    public void kill9() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM: a graceful stop. */
    public void stop() {
        if (process != null) {
            process.destroy();
            waitFor();
        }
    }

    /** Starts the server again on the same ports and database (after {@link #kill9()} or {@link #stop()}). */
    public void restart() {
        if (isAlive()) {
            stop();
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** POSTs a JSON body to {@code path} with the API key; returns the raw response. */
    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** POSTs one event and returns its id (fails the test unless the answer is 201 or 200). */
    public long postEvent(String json) {
        HttpResponse<String> r = post("/events", json);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new AssertionError("POST /events answered " + r.statusCode() + ": " + r.body());
        }
        return readJson(r.body()).get("event_id").asLong();
    }

    /** GETs {@code pathAndQuery} with the API key; returns the raw response. */
    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .header("X-API-Key", API_KEY).GET().build());
    }

    /** GETs {@code pathAndQuery} and parses the 200 answer as JSON. */
    public JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> r = get(pathAndQuery);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return readJson(r.body());
    }

    /** Every stored event matching {@code query} (e.g. {@code "source=x"}), oldest first, paging as a client would. */
    public List<JsonNode> allEvents(String query) {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = getJson("/events?order=asc&limit=1000&after_id=" + after
                    + (query == null || query.isEmpty() ? "" : "&" + query));
            JsonNode events = page.get("events");
            for (JsonNode e : events) {
                out.add(e);
                after = e.get("id").asLong();
            }
            if (events.size() < 1000) {
                return out;
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }
}
