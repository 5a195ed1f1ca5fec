package dev.argus.it.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.it.support.ArgusServer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the dashboard's views (SPEC §17) in headless Chromium against the real service (not a
 * test: run by hand, see docs/benchmarks.md "Dashboard views"). Each figure is the median of 3:
 * time to first render of the tasks view with 1,000 tasks, the sessions view with 200 sessions and
 * the event view with 10,000 events (from navigation start, measured in the page); the chart's redraw
 * time while ~1,000 events/s arrive; the lanes view's render with 20 lanes × 500 events; the JS heap.
 *
 * <pre>
 * mvn -B -q -o -pl integration-tests -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/itcp.txt -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/itcp.txt):integration-tests/target/test-classes" \
 *      -Dargus.service.jar=argus-service/target/argus-service.jar -Dargus.repo.dir=. dev.argus.it.web.DashboardViewsBench
 * </pre>
 */
public final class DashboardViewsBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(180);

    private DashboardViewsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("argus-views-bench");
        ArgusServer.Builder builder = ArgusServer.builder(Files.createDirectories(tmp.resolve("server")));
        if (Boolean.getBoolean("argus.web.fromSource")) {
            builder.jvmArg("-Xbootclasspath/a:" + Paths.get(System.getProperty("argus.repo.dir", "."),
                    "argus-web/src/main/resources").toAbsolutePath().normalize());
        }
        try (ArgusServer server = builder.start();
             Browser browser = new Browser(Files.createDirectories(tmp.resolve("browser")))) {
            browser.driver.manage().timeouts().scriptTimeout(LONG);
            browser.driver.get(server.url() + "/");
            browser.js("localStorage.setItem('argus.apiKey', arguments[0])", server.apiKey());
            System.out.println("cores=" + Runtime.getRuntime().availableProcessors() + " (shared, loaded machine)");

            seedTasks(server, 1000);
            report("tasks view, 1,000 tasks: first render", firstRender(browser, server.url() + "/#view=tasks",
                    "document.querySelectorAll('[data-testid=task-card]').length >= 1000"), "ms");
            heap(browser, "after the tasks view");

            for (int i = 0; i < 200; i++) {
                ObjectNode h = JSON.createObjectNode().put("session_id", "bench-s-" + i).put("hook_event_name", "SessionStart")
                        .put("cwd", "/work/project-" + i).put("source", "startup");
                check(server.post("/hooks/claude", h.toString()));
            }
            report("sessions view, 200 sessions: first render", firstRender(browser, server.url() + "/#view=sessions",
                    "document.querySelectorAll('[data-testid=session-row]').length >= 200"), "ms");
            heap(browser, "after the sessions view");

            String events = "bench-events";
            postEvents(server, events, 10_000, 0, 1000);
            String q = "/#source=" + enc(events);
            report("event view, 10,000 events: first render (history page listed)", firstRender(browser, server.url() + q,
                    "window.argus && window.argus.historyReady() && document.querySelectorAll('[data-testid=event-row]').length > 0"), "ms");
            System.out.println("  rows listed at first render: " + browser.listedIds().size());
            heap(browser, "after the event view");

            chartUnderLoad(browser, server);
            lanes(browser, server);
        }
    }

    /** Navigation start → the condition holds, measured with requestAnimationFrame in the page; 3 runs. */
    private static List<Double> firstRender(Browser browser, String url, String condition) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.driver.get("about:blank");
            browser.driver.get(url);
            Number ms = (Number) browser.driver.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                    + "const check = () => { let ok = false; try { ok = " + condition + "; } catch (e) { ok = false; }"
                    + "  if (ok) done(performance.now()); else requestAnimationFrame(check); };"
                    + "check();");
            out.add(ms.doubleValue());
        }
        return out;
    }

    /** ~1,000 events/s for 6 s into an open event view (3 rounds): the chart's redraw times. */
    private static void chartUnderLoad(Browser browser, ArgusServer server) throws InterruptedException {
        List<Double> roundMedians = new ArrayList<>();
        List<Double> roundMax = new ArrayList<>();
        List<Double> roundDraws = new ArrayList<>();
        List<Integer> rates = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            String source = "bench-chart-" + round;
            server.postEvent(event(source, 0, null).toString());
            browser.driver.get("about:blank");
            browser.driver.get(server.url() + "/#source=" + enc(source));
            browser.await(LONG, "live", d -> Boolean.TRUE.equals(browser.js("return !!window.argus && window.argus.historyReady()"))
                    && "live".equals(browser.js("return window.argus.state()")));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            Thread poster = new Thread(() -> {
                long t0 = System.nanoTime();
                int n = 1;
                while (!stop.get()) {
                    // 100 events every 100 ms, catching up when a post took longer
                    long due = t0 + (long) (n / 1000.0 * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Browser.sleep(wait / 1_000_000);
                    }
                    postEvents(server, source, 100, n, 100);
                    n += 100;
                    sent.set(n - 1);
                }
            });
            long start = System.nanoTime();
            poster.start();
            @SuppressWarnings("unchecked")
            List<Number> draws = (List<Number>) browser.driver.executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; const out = []; let last = window.argus.chartStats().draws;"
                    + "const t = setInterval(() => { const s = window.argus.chartStats();"
                    + "  if (s.draws !== last) { last = s.draws; out.push(s.lastDrawMs); } }, 20);"
                    + "setTimeout(() => { clearInterval(t); done(out); }, 6000);");
            stop.set(true);
            poster.join();
            double secs = (System.nanoTime() - start) / 1e9;
            rates.add((int) (sent.get() / secs));
            List<Double> d = draws.stream().map(Number::doubleValue).toList();
            roundMedians.add(d.isEmpty() ? Double.NaN : median(d));
            roundMax.add(d.isEmpty() ? Double.NaN : Collections.max(d));
            roundDraws.add((double) d.size());
        }
        System.out.println("chart under load: posted events/s per round " + rates);
        report("  chart redraw (median of each round)", roundMedians, "ms");
        report("  chart redraw (max of each round)", roundMax, "ms");
        report("  redraws seen in 6 s", roundDraws, "");
        heap(browser, "after the chart under load");
    }

    /** 20 sessions × 500 events streamed into an open lanes view; then 3 forced renders (pin clicks). */
    private static void lanes(Browser browser, ArgusServer server) {
        String source = "bench-lanes";
        server.postEvent(event(source, 0, "lane-0").toString());
        browser.driver.get("about:blank");
        browser.driver.get(server.url() + "/#view=lanes&source=" + enc(source));
        browser.await(LONG, "live", d -> Boolean.TRUE.equals(browser.js("return !!window.argus && window.argus.historyReady()"))
                && "live".equals(browser.js("return window.argus.state()")));
        for (int b = 0; b < 10; b++) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < 1000; i++) {
                int n = b * 1000 + i + 1;
                batch.add(event(source, n, "lane-" + (n % 20)));
            }
            check(server.post("/events/batch", batch.toString()));
        }
        browser.await(LONG, "10,001 rows", d -> browser.listedIds().size() == 10_001);
        browser.await(LONG, "20 lanes", d -> browser.allByTestId("lane").size() == 20);
        List<Double> drawMs = new ArrayList<>();
        List<Double> clickToFrame = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Number frame = (Number) browser.driver.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                    + "const b = document.querySelector('[data-testid=lane-pin]'); const t = performance.now(); b.click();"
                    + "requestAnimationFrame(() => setTimeout(() => done(performance.now() - t), 0));");
            clickToFrame.add(frame.doubleValue());
            drawMs.add(((Number) browser.js("return window.argus.lanesStats().drawMs")).doubleValue());
        }
        long nodes = browser.js("return document.querySelectorAll('[data-testid=lanes] [data-testid=mini-event]').length");
        System.out.println("lanes: 20 lanes x 500 events (10,001 rows listed, " + nodes + " event nodes drawn)");
        report("  lane-view render (drawMs)", drawMs, "ms");
        report("  pin click to next frame", clickToFrame, "ms");
        heap(browser, "with 20 lanes x 500 events");
    }

    private static void seedTasks(ArgusServer server, int count) {
        List<String> ws = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = check(server.post("/api/workstreams", JSON.createObjectNode().put("name", "bench ws " + i).toString()));
            ws.add(ArgusServer.readJson(r.body()).get("id").asText());
        }
        for (int i = 0; i < count; i++) {
            check(server.post("/api/tasks", JSON.createObjectNode().put("workstream_id", ws.get(i % ws.size()))
                    .put("name", "bench task " + i).toString()));
        }
    }

    private static void postEvents(ArgusServer server, String source, int count, int first, int batchSize) {
        for (int done = 0; done < count; ) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < batchSize && done < count; i++, done++) {
                batch.add(event(source, first + done, null));
            }
            check(server.post("/events/batch", batch.toString()));
        }
    }

    private static HttpResponse<String> check(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r;
    }

    private static ObjectNode event(String source, int n, String session) {
        ObjectNode e = JSON.createObjectNode();
        e.put("source", source);
        e.put("event_type", n % 2 == 0 ? "compile" : "test");
        e.put("level", new String[] {"trace", "debug", "info", "warn", "error", "fatal"}[n % 6]);
        e.put("message", "bench event " + n + " with a message of typical length for a build tool");
        if (session != null) {
            e.put("session_id", session);
        }
        return e;
    }

    private static void heap(Browser browser, String when) {
        Number heap = browser.js("return performance.memory ? performance.memory.usedJSHeapSize : null");
        System.out.println("  JS heap " + when + ": " + (heap == null ? "n/a" : String.format("%.1f MB", heap.doubleValue() / 1048576)));
    }

    private static void report(String what, List<Double> values, String unit) {
        System.out.printf("%s: median %.1f %s of %s%n", what, median(values), unit,
                values.stream().map(v -> String.format("%.1f", v)).toList());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
