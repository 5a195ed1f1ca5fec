package dev.argus.it.hooks;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-mode hook script {@code bin/argus-hook} (SPEC §12.4) run as Claude Code runs it: a
 * child {@code sh} with the payload on stdin, against a recording HTTP server that can answer
 * 200, 503 or 422, or not be there at all.
 */
class HookScriptIT {
    private static final Path SCRIPT = Paths.get(System.getProperty("argus.repo.dir", ".."), "bin", "argus-hook")
            .toAbsolutePath().normalize();
    private static final String KEY = "hook-key-0123456789";

    record Received(String query, String key, String body) {
        String uuid() {
            for (String p : query.split("&")) {
                if (p.startsWith("uuid=")) {
                    return p.substring(5);
                }
            }
            return null;
        }
    }

    record Run(int exit, String out, String err, long millis) {
    }

    @TempDir
    Path home;
    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;
    private String upUrl;
    private String downUrl;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/hooks/claude", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int code = answer;
            if (code == 200) {
                received.add(new Received(String.valueOf(ex.getRequestURI().getRawQuery()),
                        ex.getRequestHeaders().getFirst("X-API-Key"), new String(body, StandardCharsets.UTF_8)));
            }
            byte[] reply = code == 200 ? "{}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"code\":" + code + ",\"message\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(code, reply.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(reply);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        upUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            downUrl = "http://127.0.0.1:" + free.getLocalPort();
        }
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Path spool() {
        return home.resolve("argus-data/hook-spool");
    }

    private List<Path> spooled() throws IOException {
        if (!Files.isDirectory(spool())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".hook")).sorted().toList();
        }
    }

    private ProcessBuilder builder(String url, Map<String, String> extraEnv, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("ARGUS_URL");
        env.remove("ARGUS_API_KEY");
        env.remove("ARGUS_HOOK_DEBUG");
        env.put("HOME", home.toString());
        env.put("ARGUS_HOME", home.resolve("argus-data").toString());
        env.put("ARGUS_URL", url);
        env.put("ARGUS_API_KEY", KEY);
        env.putAll(extraEnv);
        return pb;
    }

    private Run hook(String url, String payload, String... args) throws Exception {
        return hook(builder(url, Map.of(), args), payload);
    }

    private static Run hook(ProcessBuilder pb, String payload) throws Exception {
        long start = System.nanoTime();
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(payload.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err, (System.nanoTime() - start) / 1_000_000);
    }

    private static String payload(int n) {
        return "{\n  \"session_id\": \"s-1\",\n  \"hook_event_name\": \"PreToolUse\",\n  \"tool_name\": \"Bash\",\n"
                + "  \"tool_input\": {\"command\": \"echo " + n + " é\"}\n}\n";
    }

    @Test
    void postsThePayloadByteForByteWithKeyAndFreshUuid() throws Exception {
        Run r = hook(upUrl, payload(1));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        hook(upUrl, payload(1));
        assertThat(received).hasSize(2);
        assertThat(received.get(0).body()).isEqualTo(payload(1));
        assertThat(received.get(0).key()).isEqualTo(KEY);
        assertThat(received.get(0).uuid()).matches("[0-9a-f-]{32,36}").isNotEqualTo(received.get(1).uuid());
        assertThat(spooled()).isEmpty();
    }

    @Test
    void serverDownExitsZeroSilentlyAndSpoolsThePayload() throws Exception {
        Run r = hook(downUrl, payload(1));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        List<Path> files = spooled();
        assertThat(files).hasSize(1);
        assertThat(Files.getPosixFilePermissions(files.get(0))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String stored = Files.readString(files.get(0));
        assertThat(stored.substring(stored.indexOf('\n') + 1)).isEqualTo(payload(1));
        try (Stream<Path> s = Files.list(spool())) {
            assertThat(s.filter(p -> !p.getFileName().toString().endsWith(".hook")).toList()).isEmpty();
        }
    }

    @Test
    void whenTheServerIsBackTheSpoolGoesFirstAndEachPayloadOnce() throws Exception {
        hook(downUrl, payload(1), "claude", "--source", "my claude", "--task", "t/1");
        hook(downUrl, payload(2));
        answer = 503;
        hook(upUrl, payload(3));
        assertThat(spooled()).hasSize(3);
        List<String> spooledUuids = new ArrayList<>();
        for (Path f : spooled()) {
            spooledUuids.add(Files.readAllLines(f).get(0).split(" ")[0]);
        }

        answer = 200;
        Run r = hook(upUrl, payload(4));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(received).extracting(Received::body).containsExactly(payload(1), payload(2), payload(3), payload(4));
        assertThat(received.subList(0, 3)).extracting(Received::uuid).containsExactlyElementsOf(spooledUuids);
        assertThat(received.get(0).query()).startsWith("source=my%20claude&task_id=t%2F1&uuid=");
        assertThat(received.get(1).query()).startsWith("uuid=");
        assertThat(spooled()).isEmpty();

        hook(upUrl, payload(5));
        assertThat(received).extracting(Received::body).containsExactly(payload(1), payload(2), payload(3), payload(4),
                payload(5));
    }

    @Test
    void concurrentHooksSendEverySpooledPayloadOnce() throws Exception {
        for (int i = 0; i < 12; i++) {
            hook(downUrl, payload(i));
        }
        assertThat(spooled()).hasSize(12);
        List<Process> running = new ArrayList<>();
        for (int i = 100; i < 106; i++) {
            Process p = builder(upUrl, Map.of()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(payload(i).getBytes(StandardCharsets.UTF_8));
            }
            running.add(p);
        }
        for (Process p : running) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        // a call that found the spool locked leaves the rest to the next one
        hook(upUrl, payload(200));
        List<String> uuids = received.stream().map(Received::uuid).toList();
        assertThat(uuids).doesNotHaveDuplicates().hasSize(12 + 6 + 1);
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aHungServerIsCutOffByTheTimeOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            List<Socket> held = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            acceptor.start();
            Run r = hook(builder("http://127.0.0.1:" + silent.getLocalPort(), Map.of("ARGUS_HOOK_TIMEOUT", "0.5")),
                    payload(1));
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.millis()).isLessThan(10_000);
            assertThat(spooled()).hasSize(1);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aPayloadTheServerRefusesIsNotKept() throws Exception {
        answer = 422;
        Run r = hook(upUrl, "{\"not\":\"a hook\"}");
        assertThat(r.exit()).isZero();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void readsTheKeyFileWhenNoKeyIsInTheEnvironment() throws Exception {
        Path keyFile = home.resolve(".config/argus/api-key");
        Files.createDirectories(keyFile.getParent());
        Files.writeString(keyFile, "file-key-42\n");
        Run r = hook(builder(upUrl, Map.of("ARGUS_API_KEY", "")), payload(1));
        assertThat(r.exit()).isZero();
        assertThat(received).extracting(Received::key).containsExactly("file-key-42");
    }

    @Test
    void exitsZeroEvenWhenItCannotSpool() throws Exception {
        Path blocked = home.resolve("argus-data");
        Files.writeString(blocked, "a file where the data folder should be");
        Run r = hook(downUrl, payload(1));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

}
