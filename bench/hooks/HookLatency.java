import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hook cost in http mode (SPEC §12.4): what Claude Code waits for per hook when it posts the
 * payload to POST /hooks/claude over a kept-alive connection. Posts N hooks one after another,
 * cycling through a scripted session of fixtures (a new session every cycle), and prints the
 * median and p99 of the request time.
 *
 *   java HookLatency.java http://127.0.0.1:18765 KEY 1000 argus-service/src/test/resources/claude-hooks
 */
public class HookLatency {
    static final List<String> SCRIPT = List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PreToolUse-Task", "SubagentStart", "SubagentStop", "Notification", "PostToolUseFailure", "Stop",
            "SessionEnd");

    public static void main(String[] args) throws Exception {
        String url = args[0] + "/hooks/claude";
        String key = args[1];
        int n = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        List<String> bodies = new ArrayList<>();
        for (String s : SCRIPT) {
            bodies.add(Files.readString(dir.resolve(s + ".json")));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long[] nanos = new long[n];
        for (int i = -200; i < n; i++) {   // 200 warm-up requests, not counted
            int k = Math.floorMod(i, bodies.size());
            String session = "bench-" + Math.floorDiv(i, bodies.size());
            String body = bodies.get(k).replace("8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43", session);
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            long t = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("answered " + r.statusCode() + " " + r.body());
            }
            if (i >= 0) {
                nanos[i] = t;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("http mode, %d hooks, keep-alive: median %.2f ms, p99 %.2f ms, max %.2f ms%n", n,
                nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[n - 1] / 1e6);
    }
}
