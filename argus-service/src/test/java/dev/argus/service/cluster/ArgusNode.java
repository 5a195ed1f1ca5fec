package dev.argus.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.testing.PostgresServer;

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
 * The built {@code target/argus-service.jar} as a child JVM on free loopback ports, on a
 * PostgreSQL database ({@code database.url}, user and password in the YAML), the way an operator
 * runs several instances against one database. {@link #kill9()} and {@link #restart()} keep the
 * ports, so clients reconnect to the same URL.
 */
final class ArgusNode implements AutoCloseable {
    static final String API_KEY = "cluster-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private ArgusNode(String name, Path dir, String databaseUrl, String extraYaml) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(dir.resolve(name));
        this.port = freePort();
        this.adminPort = freePort();
        this.config = this.dir.resolve("argus.yml");
        this.log = this.dir.resolve("server.log");
        PostgresServer pg = PostgresServer.get();
        String yaml = "server:\n"
                + "  applicationConnectors:\n    - type: http\n      bindHost: 127.0.0.1\n      port: " + port + "\n"
                + "  adminConnectors:\n    - type: http\n      bindHost: 127.0.0.1\n      port: " + adminPort + "\n"
                + "  requestLog:\n    appenders: []\n"
                + "database:\n  url: " + databaseUrl + "\n  user: " + pg.user() + "\n  password: " + pg.password() + "\n"
                + "apiKeys:\n  - key: " + API_KEY + "\n    name: cluster\n"
                + "logging:\n  level: INFO\n"
                + (extraYaml == null ? "" : extraYaml);
        Files.writeString(config, yaml);
    }

    /** Starts a node named {@code name} (its folder under {@code dir}) on {@code databaseUrl}. */
    static ArgusNode start(String name, Path dir, String databaseUrl, String extraYaml) {
        try {
            ArgusNode n = new ArgusNode(name, dir, databaseUrl, extraYaml);
            n.launch();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path serviceJar() {
        Path jar = Paths.get(System.getProperty("argus.service.jar", "target/argus-service.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("service jar not built: " + jar.toAbsolutePath());
        }
        return jar.toAbsolutePath().normalize();
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Duser.home=" + dir.resolve("home"));
        cmd.add("-jar");
        cmd.add(serviceJar().toString());
        cmd.add("server");
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_"));
        pb.environment().put("ARGUS_HOME", dir.resolve("home-data").toString());
        process = pb.start();
        awaitReady(Duration.ofSeconds(120));
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logText());
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
        throw new IllegalStateException(name + " did not start within " + timeout + ":\n" + logText());
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hooks; what was committed must survive. */
    void kill9() {
        process.destroyForcibly();
        waitFor();
    }

    /** Starts again on the same ports and database (after {@link #kill9()}). */
    void restart() {
        if (isAlive()) {
            process.destroy();
            waitFor();
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

    /** POSTs {@code json} with the key and a bound on the whole exchange. */
    HttpResponse<String> post(String path, String json, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(timeout)
                .header("X-API-Key", API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(timeout)
                .header("X-API-Key", API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One page of {@code GET /events?order=asc&after_id=N} (plus {@code query}); fails unless 200. */
    List<JsonNode> pageAfter(long afterId, int limit, String query) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/events?order=asc&limit=" + limit + "&after_id=" + afterId
                + (query == null || query.isEmpty() ? "" : "&" + query), Duration.ofSeconds(60));
        if (r.statusCode() != 200) {
            throw new IOException("GET /events answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).get("events").forEach(out::add);
        return out;
    }

    /** Every stored event matching {@code query}, oldest first, paging as a client would. */
    List<JsonNode> allEvents(String query) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<JsonNode> page = pageAfter(after, 1000, query);
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).get("id").asLong();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
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
