package dev.argus.service.cli;

import com.sun.net.httpserver.HttpServer;
import dev.argus.service.ArgusApplication;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Monitor commands against a stand-in server (a JDK HttpServer on a free loopback port) that
 * records every request and answers canned JSON: exact requests, printed output, exit status.
 */
class MonitorCliIT {
    private static final String WS = "0b7c7d3e-8f1a-4c2b-9d3e-4f5a6b7c8d9e";
    private static final String TASK = "5d9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    record Request(String method, String uri, String key, String contentType, String body) {
    }

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(),
                    ex.getRequestHeaders().getFirst("X-API-Key"), ex.getRequestHeaders().getFirst("Content-Type"),
                    new String(in, StandardCharsets.UTF_8)));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Runs {@code argus ARGS...} in-process; returns true when it succeeded (exit status 0). */
    private boolean argus(String... args) throws Exception {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Bootstrap<ArgusConfiguration> bootstrap = new Bootstrap<>(new ArgusApplication());
        for (Command c : List.of(new WorkstreamCommand(o, e), new TaskCommand(o, e), new UpdateCommand(o, e))) {
            bootstrap.addCommand(c);
        }
        Optional<Throwable> failure = new Cli(new JarLocation(getClass()), bootstrap, o, e).run(args);
        return failure.isEmpty();
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Request only() {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void workstreamCreatePostsAndPrintsIndentedJson() throws Exception {
        status = 201;
        answer = "{\"id\":\"" + WS + "\",\"name\":\"Monitor MVP\",\"status\":\"active\",\"metadata\":{\"n\":1.50,\"e\":{},\"l\":[]}}";
        assertThat(argus("workstream", "create", "Monitor MVP", "--metadata", "{\"team\":\"core\",\"n\":1.50}",
                "--url", url(), "--key", "k1")).isTrue();
        Request r = only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri()).isEqualTo("/api/workstreams");
        assertThat(r.key()).isEqualTo("k1");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"name\":\"Monitor MVP\",\"metadata\":{\"team\":\"core\",\"n\":1.50}}");
        assertThat(stdout()).isEqualTo("{\n  \"id\": \"" + WS + "\",\n  \"name\": \"Monitor MVP\",\n  \"status\": \"active\",\n"
                + "  \"metadata\": {\n    \"n\": 1.50,\n    \"e\": {},\n    \"l\": []\n  }\n}\n");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void workstreamListAndUpdate() throws Exception {
        answer = "{\"items\":[],\"total\":0}";
        assertThat(argus("workstream", "list", "--include-archived", "--url", url())).isTrue();
        assertThat(argus("workstream", "list", "--server", url(), "--token", "t")).isTrue();
        assertThat(argus("workstream", "update", WS, "--name", "Renamed", "--status", "archived", "--metadata", "{}",
                "--url", url())).isTrue();
        assertThat(requests).extracting(Request::method, Request::uri, Request::body).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET", "/api/workstreams?include_archived=true", ""),
                org.assertj.core.groups.Tuple.tuple("GET", "/api/workstreams", ""),
                org.assertj.core.groups.Tuple.tuple("PATCH", "/api/workstreams/" + WS,
                        "{\"name\":\"Renamed\",\"status\":\"archived\",\"metadata\":{}}"));
        assertThat(requests.get(1).key()).isEqualTo("t");
    }

    @Test
    void taskCreateListAndUpdateWithEveryOption() throws Exception {
        answer = "{\"id\":\"" + TASK + "\"}";
        assertThat(argus("task", "create", "SSE replay", "--workstream", WS, "--metadata", "{\"p\":1}", "--url", url())).isTrue();
        assertThat(argus("task", "list", "--workstream", WS, "--status", "blocked", "--url", url())).isTrue();
        assertThat(argus("task", "update", TASK, "--name", "N", "--status", "done", "--summary", "Waiting on vendor",
                "--summary-source", "claude", "--hidden", "true", "--metadata", "{\"a\":[1]}", "--url", url())).isTrue();
        assertThat(argus("task", "update", TASK, "--hidden", "false", "--url", url())).isTrue();
        assertThat(requests).extracting(Request::method, Request::uri, Request::body).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/api/tasks",
                        "{\"workstream_id\":\"" + WS + "\",\"name\":\"SSE replay\",\"metadata\":{\"p\":1}}"),
                org.assertj.core.groups.Tuple.tuple("GET", "/api/tasks?workstream_id=" + WS + "&status=blocked", ""),
                org.assertj.core.groups.Tuple.tuple("PATCH", "/api/tasks/" + TASK, "{\"name\":\"N\",\"status\":\"done\","
                        + "\"summary_text\":\"Waiting on vendor\",\"summary_source\":\"claude\",\"hidden\":true,\"metadata\":{\"a\":[1]}}"),
                org.assertj.core.groups.Tuple.tuple("PATCH", "/api/tasks/" + TASK, "{\"hidden\":false}"));
    }

    @Test
    void manualUpdateSplitsTagsAndEmbedsData() throws Exception {
        status = 201;
        answer = "{\"seq\":7,\"task_id\":\"" + TASK + "\"}";
        assertThat(argus("update", "manual", "--task", TASK, "--message", "Implemented SSE", "--level", "warn",
                "--kind", "manual_note", "--tags", "backend, sse,,", "--data", "{\"pr\":12}", "--url", url())).isTrue();
        Request r = only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri()).isEqualTo("/api/updates/manual");
        assertThat(r.body()).isEqualTo("{\"task_id\":\"" + TASK + "\",\"message\":\"Implemented SSE\",\"level\":\"warn\","
                + "\"kind\":\"manual_note\",\"tags\":[\"backend\",\"sse\"],\"data\":{\"pr\":12}}");
        assertThat(stdout()).isEqualTo("{\n  \"seq\": 7,\n  \"task_id\": \"" + TASK + "\"\n}\n");
    }

    @Test
    void quietPrintsNothingOnSuccessOrFailure() throws Exception {
        status = 201;
        assertThat(argus("update", "manual", "--task", TASK, "--message", "m", "--quiet", "--url", url())).isTrue();
        status = 404;
        answer = "{\"code\":404,\"error\":\"not_found\",\"message\":\"task " + TASK + " not found\"}";
        assertThat(argus("update", "manual", "--task", TASK, "--message", "m", "--silent", "--url", url())).isFalse();
        assertThat(requests).hasSize(2);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void serverErrorExitsNonZeroWithItsMessage() throws Exception {
        status = 422;
        answer = "{\"code\":422,\"error\":\"invalid_input\",\"message\":\"'name' must be 1-200 characters\"}";
        assertThat(argus("workstream", "create", "x", "--url", url())).isFalse();
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("argus workstream create: Argus answered 422: 'name' must be 1-200 characters\n");
    }

    @Test
    void badOptionsFailBeforeAnythingIsSent() throws Exception {
        assertThat(argus("task", "update", TASK, "--status", "finished", "--url", url())).isFalse();
        assertThat(stderr()).contains("invalid task status 'finished'");
        assertThat(argus("workstream", "create", "x", "--metadata", "[1]", "--url", url())).isFalse();
        assertThat(argus("update", "manual", "--task", TASK, "--message", "m", "--data", "{oops", "--url", url())).isFalse();
        assertThat(stderr()).contains("invalid JSON for --data");
        assertThat(requests).isEmpty();
    }

    @Test
    void unreachableServerIsOneLine() throws Exception {
        String dead = url();
        server.stop(0);
        assertThat(argus("task", "list", "--url", dead)).isFalse();
        assertThat(stderr()).startsWith("argus task list: cannot reach Argus at " + dead);
    }
}
