package dev.argus.it.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.it.support.ArgusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's views beside the event list (SPEC §17) in headless Chromium against the real
 * service jar: the volume chart, the tasks board and task page, sessions, lanes, and keyless
 * reading under {@code auth.mode: relaxed}. Screenshots of each view go to docs/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardViewsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(25);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String XSS = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
    /** Hostile text without a slash, so that it can be a path's last element (a session's project). */
    private static final String XSS_NO_SLASH = "<img src=x onerror=\"window.__xss=3\"><b>bold<svg onload=\"window.__xss=4\">";

    @TempDir
    static Path tmp;
    static ArgusServer server;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        server = builder("server").start();
        browser = new Browser(Files.createDirectories(tmp.resolve("browser")));
    }

    private static ArgusServer.Builder builder(String dir) throws IOException {
        ArgusServer.Builder builder = ArgusServer.builder(Files.createDirectories(tmp.resolve(dir)));
        if (Boolean.getBoolean("argus.web.fromSource")) {
            Path assets = Paths.get(System.getProperty("argus.repo.dir", ".."), "argus-web/src/main/resources");
            builder.jvmArg("-Xbootclasspath/a:" + assets.toAbsolutePath().normalize());
        }
        return builder;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------------------------ chart

    @Test
    @Order(1)
    void chartBucketsEqualTheServersCountsForTheSameRange() {
        String source = "chart-" + RUN;
        ArrayNode batch = JSON.createArrayNode();
        String[] levels = {"info", "debug", "warn", "error", "info", "fatal", "info"};
        for (int i = 0; i < 90; i++) {
            ObjectNode e = event(source, "build", "step " + i);
            e.put("level", levels[(i * 7 + i / 5) % levels.length]);
            // uneven spread over ~20 minutes, some in the same second, microseconds on bucket edges
            e.put("timestamp", String.format("2021-05-06T10:%02d:%02d.%06dZ", (i * i) % 20, (i * 13) % 60, i % 3 == 0 ? 999999 : i));
            batch.add(e);
        }
        postBatch(batch);
        openDashboard();
        selectSource(source);

        List<Map<String, Object>> buckets = awaitBuckets(90);
        assertThat(buckets.size()).isGreaterThan(5);
        for (Map<String, Object> b : buckets) {
            String range = "source=" + enc(source) + "&since=" + enc((String) b.get("since")) + "&until=" + enc((String) b.get("until"));
            assertThat(((Number) b.get("count")).intValue()).as("bucket " + b).isEqualTo(server.allEvents(range).size());
            assertThat(((Number) b.get("errors")).intValue()).as("errors in " + b)
                    .isEqualTo(server.allEvents(range + "&level=error&level=fatal").size());
        }
        assertThat(buckets.stream().mapToInt(b -> ((Number) b.get("errors")).intValue()).sum()).isPositive();
        assertThat(browser.allByTestId("chart-bucket")).hasSize(buckets.size());

        // live: a new event in range lands in its bucket
        ObjectNode late = event(source, "build", "late one");
        late.put("level", "error");
        late.put("timestamp", "2021-05-06T10:05:00.000000Z");
        server.postEvent(late.toString());
        awaitBuckets(91);
        screenshot("screenshot-chart.png");
    }

    @Test
    @Order(2)
    void draggingAcrossTheChartSetsSinceAndUntil() {
        String source = "chart-" + RUN;
        openDashboard();
        selectSource(source);
        awaitBuckets(91);
        WebElement svg = browser.byTestId("chart-svg");
        int w = svg.getSize().getWidth();
        new Actions(browser.driver).moveToElement(svg, -w / 2 + w / 5, 0).clickAndHold()
                .moveByOffset(w / 6, 0).moveByOffset(w / 6, 0).release().perform();
        browser.await(WAIT, "since set by the drag", d -> !browser.byTestId("filter-since").getAttribute("value").isEmpty()
                && !browser.byTestId("filter-until").getAttribute("value").isEmpty());
        String since = browser.byTestId("filter-since").getAttribute("value");
        String until = browser.byTestId("filter-until").getAttribute("value");
        assertThat(since.compareTo(until)).isNegative();
        String hash = browser.js("return location.hash");
        assertThat(hash).contains("since=").contains("until=");
        List<Long> expected = ids(server.allEvents("source=" + enc(source) + "&since=" + enc(since) + "&until=" + enc(until)));
        assertThat(expected).isNotEmpty().hasSizeLessThan(91);
        browser.await(WAIT, "list narrowed to the dragged range", d -> Boolean.TRUE.equals(browser.js("return window.argus.historyReady()"))
                && browser.listedIds().equals(expected));
        awaitBuckets(expected.size());

        // keyboard: the clear button empties the range again
        browser.byTestId("chart-clear").sendKeys(Keys.ENTER);
        browser.await(WAIT, "range cleared", d -> browser.byTestId("filter-since").getAttribute("value").isEmpty());
        awaitBuckets(91);
        // keyboard alternative to the drag: focus the chart, pick a bucket, Enter
        browser.byTestId("chart-svg").sendKeys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ENTER);
        browser.await(WAIT, "range from the keyboard", d -> !browser.byTestId("filter-since").getAttribute("value").isEmpty());
    }

    // ------------------------------------------------------------------------------------ tasks

    @Test
    @Order(3)
    void tasksBoardShowsWhatTheApiHoldsAndHostileNamesAsText() {
        String ws = createWorkstream("ws " + RUN + " " + XSS);
        String t1 = createTask(ws, "task one " + XSS);
        String t2 = createTask(ws, "task two");
        patch("/api/tasks/" + t1, "{\"summary_text\":\"summary " + XSS.replace("\"", "\\\"") + "\",\"status\":\"blocked\"}");
        openDashboard();
        browser.byTestId("nav-tasks").click();
        browser.await(WAIT, "board", d -> !browser.allByTestId("task-card").isEmpty());
        List<String> apiIds = new ArrayList<>();
        for (JsonNode t : server.getJson("/api/tasks").get("items")) {
            apiIds.add(t.get("id").asText());
        }
        browser.await(WAIT, "every task of the API on the board", d -> cardIds().equals(new LinkedHashSet<>(apiIds)));
        WebElement card = card(t1);
        assertThat(card.getAttribute("data-status")).isEqualTo("blocked");
        assertThat(textIn(card, "task-name")).isEqualTo("task one " + XSS);
        assertThat(textIn(card, "task-summary")).isEqualTo("summary " + XSS);
        assertThat(browser.allByTestId("ws-name").stream().map(e -> e.getText()).toList()).contains("ws " + RUN + " " + XSS);
        assertNoInjectedElements();
        assertThat(card(t2)).isNotNull();
    }

    @Test
    @Order(4)
    void creatingAndEditingFromThePageChangesWhatTheApiReturns() {
        openDashboard();
        browser.driver.get(server.url() + "/#view=tasks");
        browser.await(WAIT, "tasks view", d -> browser.byTestId("tasks-view").isDisplayed());
        String wsName = "made in page " + RUN;
        browser.await(WAIT, "form", d -> browser.byTestId("new-ws-name")).sendKeys(wsName, Keys.ENTER);
        String ws = browser.await(WAIT, "workstream in the API", d -> {
            for (JsonNode w : server.getJson("/api/workstreams").get("items")) {
                if (w.get("name").asText().equals(wsName)) {
                    return w.get("id").asText();
                }
            }
            return null;
        });
        browser.await(WAIT, "workstream option", d -> Boolean.TRUE.equals(browser.js(
                "return [...document.querySelector('[data-testid=new-task-ws]').options].some(o => o.value === arguments[0])", ws)));
        fresh(() -> {
            new Select(browser.byTestId("new-task-ws")).selectByValue(ws);
            browser.byTestId("new-task-name").sendKeys("page task " + XSS, Keys.ENTER);
        });
        String task = browser.await(WAIT, "task in the API", d -> {
            for (JsonNode t : server.getJson("/api/tasks?workstream_id=" + ws).get("items")) {
                return t.get("id").asText();
            }
            return null;
        });
        assertThat(taskJson(task).get("name").asText()).isEqualTo("page task " + XSS);

        browser.await(WAIT, "card", d -> card(task));
        fresh(() -> new Select(card(task).findElement(By.cssSelector("[data-testid=task-status]"))).selectByValue("done"));
        browser.await(WAIT, "status in the API", d -> "done".equals(taskJson(task).get("status").asText()));

        fresh(() -> card(task).findElement(By.cssSelector("[data-testid=task-summary]")).sendKeys(Keys.ENTER));
        WebElement input = browser.await(WAIT, "summary editor", d -> browser.byTestId("summary-input"));
        input.sendKeys("new summary " + XSS, Keys.ENTER);
        browser.await(WAIT, "summary in the API", d -> ("new summary " + XSS).equals(textOr(taskJson(task), "summary_text")));
        assertThat(taskJson(task).get("summary_source").asText()).isEqualTo("manual");
        browser.await(WAIT, "summary shown", d -> card(task) != null
                && ("new summary " + XSS).equals(textIn(card(task), "task-summary")));

        fresh(() -> card(task).findElement(By.cssSelector("[data-testid=task-hide]")).click());
        browser.await(WAIT, "hidden in the API", d -> taskJson(task).hasNonNull("hidden_at"));
        browser.await(WAIT, "gone from the board", d -> card(task) == null);
        fresh(() -> browser.byTestId("show-hidden").click());
        browser.await(WAIT, "back with show hidden", d -> card(task) != null);
        fresh(() -> card(task).findElement(By.cssSelector("[data-testid=task-hide]")).click());
        browser.await(WAIT, "unhidden in the API", d -> !taskJson(task).hasNonNull("hidden_at"));
        screenshot("screenshot-tasks.png");

        // the task page: its updates, or a clear message while the server has no /api/updates
        fresh(() -> card(task).findElement(By.cssSelector("[data-testid=task-name]")).click());
        browser.await(WAIT, "task page", d -> !browser.allByTestId("task-page").isEmpty()
                && (!browser.allByTestId("updates-unavailable").isEmpty() || !browser.allByTestId("updates-empty").isEmpty()
                || !browser.allByTestId("updates-list").isEmpty()));
        assertThat((String) browser.js("return location.hash")).contains("view=tasks").contains("task=" + task);
        assertThat(browser.byTestId("task-title").getText()).isEqualTo("page task " + XSS);
        if (server.get("/api/updates?task_id=" + task).statusCode() == 404) {
            assertThat(browser.byTestId("updates-unavailable").getText()).contains("not available");
        } else {
            browser.byTestId("update-message").sendKeys("update " + XSS);
            browser.byTestId("update-submit").click();
            browser.await(WAIT, "update listed", d -> browser.allByTestId("update-row").stream()
                    .anyMatch(r -> r.getText().contains("update " + XSS)));
        }
        assertNoInjectedElements();
        screenshot("screenshot-task.png");
        browser.byTestId("task-back").click();
        browser.await(WAIT, "board again", d -> !browser.allByTestId("tasks-board").isEmpty());
    }

    // ------------------------------------------------------------------------------------ sessions

    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    void sessionsViewRendersWhatTheServerHolds() {
        assertThat(server.get("/sessions").statusCode()).as("GET /sessions is served").isEqualTo(200);
        String sid = "sess-" + RUN;
        ObjectNode start = JSON.createObjectNode();
        start.put("session_id", sid);
        start.put("hook_event_name", "SessionStart");
        start.put("cwd", "/work/proj " + XSS_NO_SLASH);
        start.put("source", "startup");
        assertThat(server.post("/hooks/claude", start.toString()).statusCode()).isEqualTo(200);
        ObjectNode tool = JSON.createObjectNode();
        tool.put("session_id", sid);
        tool.put("hook_event_name", "PreToolUse");
        tool.put("tool_name", "Task");
        tool.put("tool_use_id", "tu-" + RUN);
        tool.putObject("tool_input").put("subagent_type", "explorer").put("description", "agent " + XSS);
        assertThat(server.post("/hooks/claude", tool.toString()).statusCode()).isEqualTo(200);
        // a second subagent whose type (subagent_type) is the hostile text, through the Agent tool
        ObjectNode agent = JSON.createObjectNode();
        agent.put("session_id", sid);
        agent.put("hook_event_name", "PreToolUse");
        agent.put("tool_name", "Agent");
        agent.put("tool_use_id", "tu2-" + RUN);
        agent.putObject("tool_input").put("subagent_type", "type " + XSS).put("description", "second " + XSS);
        assertThat(server.post("/hooks/claude", agent.toString()).statusCode()).isEqualTo(200);
        String project = server.getJson("/sessions/" + sid).get("project").asText();
        assertThat(project).as("the project is cwd's last element").isEqualTo("proj " + XSS_NO_SLASH);

        openDashboard();
        browser.byTestId("nav-sessions").click();
        browser.await(WAIT, "session row", d -> browser.driver.findElements(
                By.cssSelector("[data-testid=session-row][data-id=\"" + sid + "\"]")).size() == 1);
        List<String> apiIds = new ArrayList<>();
        for (JsonNode s : server.getJson("/sessions?limit=500").get("sessions")) {
            apiIds.add(s.get("id").asText());
        }
        assertThat(browser.allByTestId("session-row").stream().map(r -> r.getAttribute("data-id")).toList()).isEqualTo(apiIds);
        WebElement open = browser.driver.findElement(By.cssSelector("[data-testid=session-row][data-id=\"" + sid + "\"] [data-testid=session-open]"));
        assertThat((String) browser.js("return arguments[0].textContent", open)).as("hostile project as text").isEqualTo(project);
        assertThat((Long) browser.js("return arguments[0].querySelectorAll('*').length", open)).as("no element in the project").isZero();
        assertNoInjectedElements();
        screenshot("screenshot-sessions.png");
        browser.driver.findElement(By.cssSelector("[data-testid=session-row][data-id=\"" + sid + "\"] [data-testid=session-open]")).click();
        browser.await(WAIT, "agents", d -> browser.allByTestId("agent").size() == 2 && !browser.allByTestId("mini-event").isEmpty());
        assertThat(browser.byTestId("session-title").getText()).isEqualTo(project);
        List<String> agentTexts = browser.js("return [...document.querySelectorAll('[data-testid=agent]')].map(a => a.textContent)");
        assertThat(agentTexts).anySatisfy(t -> assertThat(t).contains("agent " + XSS).contains("explorer"));
        assertThat(agentTexts).anySatisfy(t -> assertThat(t).contains("second " + XSS).contains("type " + XSS));
        // an agent row holds only the status dot and two text spans: nothing the payloads made
        assertThat((List<Object>) browser.js("return [...document.querySelectorAll('[data-testid=agent] *')]"
                + ".filter(e => !['SPAN', 'UL', 'LI'].includes(e.tagName)).map(e => e.tagName)")).isEmpty();
        assertNoInjectedElements();
        browser.byTestId("session-close").click();
        browser.await(WAIT, "ended in the API", d -> "ended".equals(server.getJson("/sessions/" + sid).get("status").asText()));
    }

    // ------------------------------------------------------------------------------------ lanes

    @Test
    @Order(7)
    void lanesGroupTheListedEventsBySessionPinnedFirst() {
        String source = "lanes-" + RUN;
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 20 * 12; i++) {
            ObjectNode e = event(source, "step", "lane message " + i + (i % 40 == 0 ? " " + XSS : ""));
            e.put("session_id", "lane-" + (i % 20) + "-" + RUN);
            e.put("level", i % 17 == 0 ? "error" : "info");
            batch.add(e);
        }
        postBatch(batch);
        openDashboard();
        selectSource(source);
        browser.byTestId("nav-lanes").click();
        browser.await(WAIT, "20 lanes", d -> browser.allByTestId("lane").size() == 20);
        List<String> keys = laneKeys();
        // newest activity first: the session of the newest event leads
        List<JsonNode> events = server.allEvents("source=" + enc(source));
        assertThat(keys.get(0)).isEqualTo(events.get(events.size() - 1).get("session_id").asText());
        String last = keys.get(keys.size() - 1);
        fresh(() -> browser.driver.findElement(By.cssSelector("[data-testid=lane][data-key=\"" + last + "\"] [data-testid=lane-pin]")).sendKeys(Keys.ENTER));
        browser.await(WAIT, "pinned lane first", d -> laneKeys().get(0).equals(last));
        browser.driver.navigate().refresh();
        browser.await(WAIT, "pin kept across reloads", d -> !browser.allByTestId("lane").isEmpty() && laneKeys().get(0).equals(last));
        assertThat(browser.byTestId("event-list").isDisplayed()).as("a reloaded view shows only itself").isFalse();
        assertNoInjectedElements();
        long id = server.postEvent(event(source, "step", "fresh").put("session_id", "lane-new-" + RUN).toString());
        browser.await(WAIT, "live lane", d -> laneKeys().get(1).equals("lane-new-" + RUN));
        assertThat(id).isPositive();
        screenshot("screenshot-lanes.png");
        browser.byTestId("lanes-by-task").click();
        browser.await(WAIT, "task lanes", d -> ((String) browser.js("return location.hash")).contains("lanes=task"));
    }

    // ------------------------------------------------------------------------------------ relaxed

    @Test
    @Order(8)
    void relaxedModeReadsWithoutAKeyPrompt() throws IOException {
        try (ArgusServer relaxed = builder("relaxed").yaml("auth:\n  mode: relaxed\n").start()) {
            relaxed.postEvent(event("relaxed-" + RUN, "x", "hello " + XSS).toString());
            browser.driver.get(relaxed.url() + "/");
            browser.js("localStorage.clear()");
            browser.driver.navigate().refresh();
            browser.await(WAIT, "history without a key", d -> Boolean.TRUE.equals(browser.js(
                    "return !!window.argus && window.argus.historyReady()")));
            assertThat(browser.byTestId("key-prompt").isDisplayed()).isFalse();
            browser.await(Duration.ofSeconds(45), "live without a key", d -> "live".equals(browser.js("return window.argus.state()")));
            assertThat(browser.listedIds()).isNotEmpty();
            browser.byTestId("nav-tasks").click();
            browser.await(WAIT, "tasks view without a key", d -> !browser.allByTestId("new-ws-name").isEmpty());
            assertThat(browser.byTestId("key-prompt").isDisplayed()).isFalse();
            // a write still needs a key: the page asks for one then
            browser.byTestId("new-ws-name").sendKeys("needs a key", Keys.ENTER);
            browser.await(WAIT, "key prompt for a write", d -> browser.byTestId("key-prompt").isDisplayed());
            assertThat(relaxed.getJson("/api/workstreams").get("total").asInt()).isZero();
            browser.byTestId("key-cancel").click();
            browser.await(WAIT, "prompt closed", d -> !browser.byTestId("key-prompt").isDisplayed());
        }
    }

    // ------------------------------------------------------------------------------------ restart

    @Test
    @Order(9)
    void sessionsAndLanesSurviveARestartWithNoGapAndNoDuplicate() {
        String source = "restart-views-" + RUN;
        String a = "rv-a-" + RUN;
        String b = "rv-b-" + RUN;
        int[] n = {0};
        Runnable postBoth = () -> {
            hook(source, a, n[0]++);
            hook(source, b, n[0]++);
        };
        postBoth.run();
        // two windows of one browser: a session page and the lanes view, both open through the restart
        openDashboard();
        String sessionsWindow = browser.driver.getWindowHandle();
        browser.driver.get(server.url() + "/#view=sessions&session=" + enc(a));
        browser.await(WAIT, "session page", d -> !browser.allByTestId("session-page").isEmpty());
        browser.driver.switchTo().newWindow(WindowType.WINDOW);
        String lanesWindow = browser.driver.getWindowHandle();
        try {
            browser.driver.get(server.url() + "/#view=lanes&source=" + enc(source));
            browser.await(WAIT, "two lanes", d -> browser.allByTestId("lane").size() == 2);
            browser.await(Duration.ofSeconds(45), "live", d -> "live".equals(connectionState()));
            for (int i = 0; i < 3; i++) {
                postBoth.run();
            }
            awaitViewsHoldEveryEventOnce(source, a, sessionsWindow, lanesWindow);

            server.kill9();
            browser.await(WAIT, "reconnecting", d -> "reconnecting".equals(connectionState()));
            server.restart();
            for (int i = 0; i < 3; i++) {
                postBoth.run(); // the pages have not reconnected yet: these arrive in the gap
            }
            browser.driver.switchTo().window(sessionsWindow);
            browser.await(Duration.ofSeconds(45), "sessions window live again", d -> "live".equals(connectionState()));
            browser.driver.switchTo().window(lanesWindow);
            browser.await(Duration.ofSeconds(45), "lanes window live again", d -> "live".equals(connectionState()));
            for (int i = 0; i < 3; i++) {
                postBoth.run();
            }
            awaitViewsHoldEveryEventOnce(source, a, sessionsWindow, lanesWindow);
            assertThat(server.allEvents("source=" + enc(source))).hasSize(n[0]);
        } finally {
            browser.driver.switchTo().window(lanesWindow);
            browser.driver.close();
            browser.driver.switchTo().window(sessionsWindow);
        }
    }

    /** Waits until the session page, the lanes and the event list hold exactly the events the API holds. */
    private static void awaitViewsHoldEveryEventOnce(String source, String session, String sessionsWindow, String lanesWindow) {
        List<Long> all = ids(server.allEvents("source=" + enc(source)));
        List<Long> ofSession = ids(server.allEvents("session_id=" + enc(session)));
        browser.driver.switchTo().window(sessionsWindow);
        browser.await(Duration.ofSeconds(45), "session page holds " + ofSession, d -> sorted(miniEventIds("session-events")).equals(sorted(ofSession)));
        browser.driver.switchTo().window(lanesWindow);
        browser.await(Duration.ofSeconds(45), "event list holds " + all, d -> browser.listedIds().equals(all));
        browser.await(Duration.ofSeconds(45), "lanes hold " + all, d -> sorted(miniEventIds("lanes")).equals(sorted(all)));
    }

    /** The ids of the mini events under the element with {@code testId}, duplicates kept. */
    private static List<Long> miniEventIds(String testId) {
        List<String> ids = browser.js("const r = document.querySelector('[data-testid=\"' + arguments[0] + '\"]');"
                + "return r ? [...r.querySelectorAll('[data-testid=mini-event]')].map(e => e.dataset.id) : []", testId);
        return ids.stream().map(Long::parseLong).toList();
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }

    private static String connectionState() {
        return browser.byTestId("connection-state").getAttribute("data-state");
    }

    private static void hook(String source, String session, int n) {
        ObjectNode h = JSON.createObjectNode();
        h.put("session_id", session);
        h.put("hook_event_name", "UserPromptSubmit");
        h.put("cwd", "/work/restart");
        h.put("prompt", "prompt " + n);
        HttpResponse<String> r = server.post("/hooks/claude?source=" + enc(source), h.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------- helpers

    private static List<Map<String, Object>> awaitBuckets(int total) {
        return browser.await(WAIT, "chart buckets summing to " + total, d -> {
            List<Map<String, Object>> b = browser.js("return window.argus.historyReady() ? window.argus.chart() : null");
            return b != null && b.stream().mapToInt(x -> ((Number) x.get("count")).intValue()).sum() == total ? b : null;
        });
    }

    /** Runs a UI action again when the view re-rendered under it (a stale or detached element: the lanes redraw when the list changes). */
    private static void fresh(Runnable action) {
        browser.await(WAIT, "action on a fresh element", d -> {
            try {
                action.run();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.ElementNotInteractableException
                    | NullPointerException e) {
                return null;
            }
        });
    }

    private static List<String> laneKeys() {
        return browser.js("return [...document.querySelectorAll('[data-testid=lane]')].map(l => l.dataset.key)");
    }

    private static LinkedHashSet<String> cardIds() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (WebElement c : browser.allByTestId("task-card")) {
            out.add(c.getAttribute("data-id"));
        }
        return out;
    }

    private static WebElement card(String id) {
        List<WebElement> found = browser.driver.findElements(By.cssSelector("[data-testid=task-card][data-id=\"" + id + "\"]"));
        return found.isEmpty() ? null : found.get(0);
    }

    private static String textIn(WebElement root, String testId) {
        return browser.js("return arguments[0].querySelector('[data-testid=\"' + arguments[1] + '\"]').textContent", root, testId);
    }

    private static void assertNoInjectedElements() {
        assertThat((Object) browser.js("return window.__xss")).as("no injected script ran").isNull();
        assertThat((Long) browser.js("return document.querySelectorAll('main img, main script, main b').length")).isZero();
    }

    private static String createWorkstream(String name) {
        HttpResponse<String> r = server.post("/api/workstreams", JSON.createObjectNode().put("name", name).toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ArgusServer.readJson(r.body()).get("id").asText();
    }

    private static String createTask(String ws, String name) {
        HttpResponse<String> r = server.post("/api/tasks", JSON.createObjectNode().put("workstream_id", ws).put("name", name).toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ArgusServer.readJson(r.body()).get("id").asText();
    }

    private static JsonNode taskJson(String id) {
        for (JsonNode t : server.getJson("/api/tasks?include_hidden=true").get("items")) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no task " + id);
    }

    private static String textOr(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static void patch(String path, String json) {
        try {
            HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.url() + path))
                    .header("X-API-Key", server.apiKey()).header("Content-Type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void screenshot(String name) {
        try {
            Path docs = Paths.get(System.getProperty("argus.repo.dir", ".."), "docs");
            if (Files.isDirectory(docs)) {
                Files.write(docs.resolve(name), browser.driver.getScreenshotAs(OutputType.BYTES));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode event(String source, String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("source", source);
        e.put("event_type", type);
        e.put("message", message);
        return e;
    }

    private static void postBatch(ArrayNode batch) {
        HttpResponse<String> r = server.post("/events/batch", batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static List<Long> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asLong()).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void openDashboard() {
        browser.driver.get(server.url() + "/");
        browser.js("localStorage.setItem('argus.apiKey', arguments[0])", server.apiKey());
        browser.driver.navigate().refresh();
        browser.await(WAIT, "history loaded", d -> Boolean.TRUE.equals(browser.js(
                "return !!window.argus && window.argus.historyReady()")));
    }

    private static void selectSource(String source) {
        WebElement select = browser.byTestId("filter-source");
        browser.await(WAIT, "source option " + source, d -> Boolean.TRUE.equals(browser.js(
                "return [...arguments[0].options].some(o => o.value === arguments[1])", select, source)));
        new Select(select).selectByValue(source);
        browser.await(WAIT, "history", d -> Boolean.TRUE.equals(browser.js("return window.argus.historyReady()")));
    }
}
