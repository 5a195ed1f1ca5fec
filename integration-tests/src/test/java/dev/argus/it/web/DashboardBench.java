package dev.argus.it.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.it.support.ArgusServer;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures the dashboard in headless Chromium against the real service (not a test: run by hand,
 * see docs/bench/dashboard.md). For each size it streams that many events into an open page,
 * then times the in-browser filtering, scrolling to random positions, and the JS heap.
 *
 * <pre>
 * java -cp "$(cat cp.txt):integration-tests/target/test-classes" -Dargus.service.jar=... \
 *      -Dargus.repo.dir=. -Dargus.web.fromSource=true dev.argus.it.web.DashboardBench 10000 50000
 * </pre>
 */
public final class DashboardBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 50_000);
        }
        Path tmp = Files.createTempDirectory("argus-dashboard-bench");
        ArgusServer.Builder builder = ArgusServer.builder(Files.createDirectories(tmp.resolve("server")));
        if (Boolean.getBoolean("argus.web.fromSource")) {
            builder.jvmArg("-Xbootclasspath/a:" + Paths.get(System.getProperty("argus.repo.dir", "."),
                    "argus-web/src/main/resources").toAbsolutePath().normalize());
        }
        try (ArgusServer server = builder.start();
             Browser browser = new Browser(Files.createDirectories(tmp.resolve("browser")))) {
            for (int size : sizes) {
                run(server, browser, size);
            }
        }
    }

    private static void run(ArgusServer server, Browser browser, int size) {
        String source = "bench-" + size + "-" + System.nanoTime();
        server.postEvent(event(source, 0).toString());
        browser.driver.get(server.url() + "/");
        browser.js("localStorage.setItem('argus.apiKey', arguments[0])", server.apiKey());
        browser.driver.navigate().refresh();
        browser.await(Duration.ofSeconds(30), "history", d -> Boolean.TRUE.equals(browser.js(
                "return !!window.argus && window.argus.historyReady()")));
        browser.await(Duration.ofSeconds(30), "source option", d -> Boolean.TRUE.equals(browser.js(
                "return [...arguments[0].options].some(o => o.value === arguments[1])",
                browser.byTestId("filter-source"), source)));
        new Select(browser.byTestId("filter-source")).selectByValue(source);
        browser.await(Duration.ofSeconds(30), "live", d -> "live".equals(browser.js("return window.argus.state()")));

        long t0 = System.nanoTime();
        for (int done = 1; done <= size; ) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < 1000 && done <= size; i++, done++) {
                batch.add(event(source, done));
            }
            server.post("/events/batch", batch.toString());
        }
        long posted = System.nanoTime();
        int total = Math.min(size + 1, 50_000); // the page keeps at most 50,000 rows
        browser.await(Duration.ofSeconds(300), total + " rows", d -> browser.listedIds().size() == total);
        long listed = System.nanoTime();

        // Filter with a search that keeps every row, alternating so each change really applies;
        // the server reload afterwards brings back at most 10,000 rows.
        WebElement q = browser.byTestId("filter-q");
        WebElement timing = browser.byTestId("filter-timing");
        List<Double> filterMs = new ArrayList<>();
        List<Integer> inputRows = new ArrayList<>();
        String[] terms = {"bench", "event", "bench event", "ench"};
        for (int i = 0; i < 9; i++) {
            browser.js("arguments[0].dataset.ms = ''", timing);
            q.sendKeys(Keys.chord(Keys.CONTROL, "a"), terms[i % terms.length], Keys.ENTER);
            browser.await(Duration.ofSeconds(30), "filter " + i, d -> !timing.getAttribute("data-ms").isEmpty()
                    && Boolean.TRUE.equals(browser.js("return window.argus.historyReady()")));
            filterMs.add(Double.parseDouble(timing.getAttribute("data-ms")));
            inputRows.add(Integer.parseInt(timing.getAttribute("data-rows")));
        }
        // level chip over what the list holds now
        browser.byTestId("level-error").click();
        browser.await(Duration.ofSeconds(30), "level", d -> Boolean.TRUE.equals(browser.js("return window.argus.historyReady()")));

        // Grow the list back to the full size for scrolling and memory: clear the filters, then page older.
        browser.byTestId("filter-clear").click();
        browser.await(Duration.ofSeconds(30), "cleared", d -> Boolean.TRUE.equals(browser.js("return window.argus.historyReady()")));
        while (browser.listedIds().size() < total && browser.byTestId("load-older").isEnabled()) {
            int n = browser.listedIds().size();
            browser.byTestId("load-older").click();
            browser.await(Duration.ofSeconds(30), "older", d -> browser.listedIds().size() > n
                    || !browser.byTestId("load-older").isEnabled());
        }
        int rowsForScroll = browser.listedIds().size();
        @SuppressWarnings("unchecked")
        List<Number> frames = (List<Number>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const list = document.querySelector('[data-testid=event-list]');"
                + "const out = []; let i = 0;"
                + "const step = () => { if (i++ >= 60) { done(out); return; }"
                + "  const t = performance.now(); list.scrollTop = Math.random() * list.scrollHeight;"
                + "  requestAnimationFrame(() => { out.push(performance.now() - t); setTimeout(step, 0); }); };"
                + "step();");
        Number heap = browser.js("return performance.memory ? performance.memory.usedJSHeapSize : null");
        long domRows = browser.js("return document.querySelectorAll('[data-testid=event-row]:not([hidden])').length");

        System.out.printf("size=%d (catch-ups %s) posted_ms=%d listed_after_post_start_ms=%d%n", size,
                browser.js("return window.argus.catchUps()"),
                (posted - t0) / 1_000_000, (listed - t0) / 1_000_000);
        System.out.printf("  first client filter over %d rows: %.1f ms; later filters (over %s rows) median %.1f ms, max %.1f ms%n",
                inputRows.get(0), filterMs.get(0), inputRows.subList(1, inputRows.size()), median(filterMs.subList(1, filterMs.size())),
                Collections.max(filterMs.subList(1, filterMs.size())));
        List<Double> f = frames.stream().map(Number::doubleValue).toList();
        System.out.printf("  scroll to a random position over %d rows, until next frame: median %.1f ms, max %.1f ms%n",
                rowsForScroll, median(f), Collections.max(f));
        System.out.printf("  JS heap %s MB, %d row nodes in the DOM%n",
                heap == null ? "n/a" : String.format("%.0f", heap.doubleValue() / 1048576), domRows);
    }

    private static ObjectNode event(String source, int n) {
        ObjectNode e = JSON.createObjectNode();
        e.put("source", source);
        e.put("event_type", n % 2 == 0 ? "compile" : "test");
        e.put("level", new String[] {"trace", "debug", "info", "warn", "error", "fatal"}[n % 6]);
        e.put("message", "bench event " + n + " with a message of typical length for a build tool");
        e.putArray("tags").add("bench").add(n % 3 == 0 ? "ci" : "local");
        ObjectNode data = e.putObject("data");
        data.put("n", n);
        data.put("thread", "worker-" + n % 8);
        data.putObject("timing").put("ms", n % 997 / 10.0);
        return e;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
