package dev.argus.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM, started by {@code scripts/postgres.sh} in a temporary
 * folder and stopped by a shutdown hook. With the environment variable {@code ARGUS_TEST_POSTGRES_URL}
 * (a base URL such as {@code jdbc:postgresql://host:5432/}, credentials in
 * {@code ARGUS_TEST_POSTGRES_USER}/{@code ARGUS_TEST_POSTGRES_PASSWORD}) that server is used instead,
 * and {@link #stop()}/{@link #start()}/{@link #restart()} are refused.
 */
public final class PostgresServer {
    private static PostgresServer instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final Path script;
    private final String baseUrl;
    private final String user;
    private final String password;

    private PostgresServer(Path dir, Path script, String baseUrl, String user, String password) {
        this.dir = dir;
        this.script = script;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.user = user;
        this.password = password;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = launch();
        }
        return instance;
    }

    private static PostgresServer launch() {
        String external = System.getenv("ARGUS_TEST_POSTGRES_URL");
        if (external != null && !external.isBlank()) {
            return new PostgresServer(null, null, external.strip(),
                    envOr("ARGUS_TEST_POSTGRES_USER", "postgres"), envOr("ARGUS_TEST_POSTGRES_PASSWORD", ""));
        }
        Path script = findScript();
        try {
            Path dir = Files.createTempDirectory("argus-pg");
            run(script, "start", dir);
            String url = Files.readString(dir.resolve("url"), StandardCharsets.UTF_8).strip();
            String password = Files.readString(dir.resolve("password"), StandardCharsets.UTF_8).strip();
            PostgresServer server = new PostgresServer(dir, script, url, "argus", password);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(script, "stop", dir);
                } catch (RuntimeException ignored) {
                    // already stopped, or the JVM is going down anyway
                }
                deleteTree(dir);
            }, "postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temp folder left behind is harmless
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    private static Path findScript() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            Path s = p.resolve("scripts").resolve("postgres.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("scripts/postgres.sh not found above " + Paths.get("").toAbsolutePath());
    }

    private static void run(Path script, String command, Path dir) {
        try {
            Process p = new ProcessBuilder(List.of("bash", script.toString(), command, dir.toString()))
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("postgres.sh " + command + " failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JDBC base URL, ending in {@code /} (append a database name). */
    public String baseUrl() {
        return baseUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new, empty database; its JDBC URL. */
    public String freshDatabase() {
        String name = "argus_t" + DATABASES.incrementAndGet() + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            // CREATE DATABASE cannot run inside a transaction block: its own statement, autocommit.
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("CREATE DATABASE failed: " + e.getMessage(), e);
        }
        return baseUrl + name;
    }

    /** A plain connection to one database of this server (autocommit). */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(baseUrl + database, props);
    }

    /** {@code pg_ctl restart -m fast}: every open connection is cut, the data stays. */
    public synchronized void restart() {
        run(script(), "restart", dir);
    }

    /** {@code pg_ctl stop -m fast}. */
    public synchronized void stop() {
        run(script(), "stop", dir);
    }

    /** Starts the stopped server again (same port, same data). */
    public synchronized void start() {
        run(script(), "start", dir);
    }

    private Path script() {
        if (script == null) {
            throw new UnsupportedOperationException("an external server (ARGUS_TEST_POSTGRES_URL) is not controlled by the tests");
        }
        return script;
    }
}
