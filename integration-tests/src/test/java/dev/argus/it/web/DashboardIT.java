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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against the real service jar: key prompt, history,
 * every filter, paging, detail panel, export, hostile text, live stream, restart and 10,000 rows.
 * One server and one browser for the class; each test uses its own sources so they stay apart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path tmp;
    static ArgusServer server;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        ArgusServer.Builder builder = ArgusServer.builder(Files.createDirectories(tmp.resolve("server")));
        // -Dargus.web.fromSource=true serves argus-web's source folder ahead of the assets inside the
        // service jar, so dashboard edits can be tested without rebuilding the service.
        if (Boolean.getBoolean("argus.web.fromSource")) {
            Path assets = Paths.get(System.getProperty("argus.repo.dir", ".."), "argus-web/src/main/resources");
            builder.jvmArg("-Xbootclasspath/a:" + assets.toAbsolutePath().normalize());
        }
        // A title with markup in it: the configured web.title must show as text.
        builder.yaml("web:\n  title: \"Build <b>box</b> & co\"\n");
        server = builder.start();
        browser = new Browser(Files.createDirectories(tmp.resolve("browser")));
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

    // ------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void asksForTheKeyRejectsAWrongOneAndForgetsItOnRequest() {
        browser.driver.get(server.url() + "/");
        WebElement prompt = browser.byTestId("key-prompt");
        assertThat(prompt.isDisplayed()).isTrue();

        enterKey("not-the-key");
        browser.await(WAIT, "wrong key message", d -> browser.byTestId("key-message").getText().contains("Invalid API key"));
        assertThat(prompt.isDisplayed()).isTrue();
        assertThat((Object) browser.js("return localStorage.getItem('argus.apiKey')")).isNull();

        enterKey(server.apiKey());
        browser.await(WAIT, "prompt to close", d -> !browser.byTestId("key-prompt").isDisplayed());
        assertThat((String) browser.js("return localStorage.getItem('argus.apiKey')")).isEqualTo(server.apiKey());

        browser.driver.navigate().refresh();
        awaitHistory();
        assertThat(browser.byTestId("key-prompt").isDisplayed()).as("key kept across reloads").isFalse();

        browser.byTestId("forget-key").click();
        browser.await(WAIT, "prompt after forget", d -> browser.byTestId("key-prompt").isDisplayed());
        assertThat((Object) browser.js("return localStorage.getItem('argus.apiKey')")).isNull();
        assertThat(browser.byTestId("connection-state").getAttribute("data-state")).isEqualTo("offline");

        enterKey(server.apiKey());
        browser.await(WAIT, "prompt to close again", d -> !browser.byTestId("key-prompt").isDisplayed());

        // web.title from the server's configuration, as text in the header and the tab.
        browser.await(WAIT, "configured title", d -> "Build <b>box</b> & co".equals(browser.byTestId("brand").getText()));
        assertThat(browser.driver.getTitle()).isEqualTo("Build <b>box</b> & co");
        assertThat((Long) browser.js("return document.querySelectorAll('[data-testid=brand] b').length")).isZero();
    }

    @Test
    @Order(2)
    void storedWrongKeyReturnsToThePromptWithAMessage() {
        openDashboard();
        browser.js("localStorage.setItem('argus.apiKey', 'stale-key')");
        browser.driver.navigate().refresh();
        browser.await(WAIT, "prompt for a stale key", d -> browser.byTestId("key-prompt").isDisplayed()
                && browser.byTestId("key-message").getText().toLowerCase().contains("invalid"));
        assertThat((Object) browser.js("return localStorage.getItem('argus.apiKey')")).isNull();
        enterKey(server.apiKey());
        awaitHistory();
    }

    @Test
    @Order(3)
    void everyFilterShowsExactlyWhatTheServerMatches() {
        String a = "filt-a-" + RUN;
        String b = "filt-b-" + RUN;
        ArrayNode batch = JSON.createArrayNode();
        String[] levels = {"trace", "debug", "info", "warn", "error", "fatal"};
        for (int i = 0; i < 24; i++) {
            ObjectNode e = event(i % 2 == 1 ? b : a, (i / 2) % 2 == 0 ? "build" : "test",
                    "step " + i + (i % 4 == 0 ? " Needle" : ""));
            e.put("level", levels[i % 6]);
            e.put("timestamp", String.format("2021-03-04T05:06:%02d.000001Z", i));
            e.putArray("tags").add("t" + (i % 3)).add("all");
            e.put("session_id", "sess-" + ((i / 3) % 2) + "-" + RUN);
            batch.add(e);
        }
        postBatch(batch);
        openDashboard();

        selectSource(a);
        assertListMatches("source=" + enc(a));
        selectOption("filter-event-type", "test");
        assertListMatches("source=" + enc(a) + "&event_type=test");

        clearFilters();
        selectSource(b);
        browser.byTestId("level-fatal").click();
        browser.byTestId("level-warn").click();
        assertListMatches("source=" + enc(b) + "&level=fatal&level=warn");
        browser.byTestId("level-warn").click();
        assertListMatches("source=" + enc(b) + "&level=fatal");

        clearFilters();
        typeFilter("filter-session", "sess-1-" + RUN);
        assertListMatches("session_id=sess-1-" + RUN);
        typeFilter("filter-tag", "t2");
        assertListMatches("session_id=sess-1-" + RUN + "&tag=t2");

        clearFilters();
        selectSource(a);
        typeFilter("filter-q", "nEEDLE");
        assertListMatches("source=" + enc(a) + "&q=needle");

        clearFilters();
        selectSource(a);
        typeFilter("filter-since", "2021-03-04T05:06:04.000001Z");
        typeFilter("filter-until", "2021-03-04T05:06:12.000001Z");
        List<Long> ids = assertListMatches("source=" + enc(a)
                + "&since=2021-03-04T05:06:04.000001Z&until=2021-03-04T05:06:12.000001Z");
        assertThat(ids).as("both ends inclusive: seconds 4, 6, 8, 10, 12 of source a").hasSize(5);

        WebElement since = browser.byTestId("filter-since");
        since.sendKeys(Keys.chord(Keys.CONTROL, "a"), "yesterday-ish", Keys.ENTER);
        browser.await(WAIT, "invalid time marked", d -> browser.byTestId("filter-since").getAttribute("class").contains("invalid"));
        assertThat(browser.listedIds()).isEqualTo(ids);
        clearFilters();
    }

    @Test
    @Order(4)
    void loadOlderPagesBackWithBeforeId() {
        String source = "paging-" + RUN;
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 620; i++) {
            batch.add(event(source, "page", "event " + i));
        }
        postBatch(batch);
        openDashboard();
        selectSource(source);
        browser.await(WAIT, "first page", d -> browser.listedIds().size() == 500);
        WebElement older = browser.byTestId("load-older");
        assertThat(older.isEnabled()).isTrue();
        older.click();
        browser.await(WAIT, "second page", d -> browser.listedIds().size() == 620);
        assertThat(browser.listedIds()).isEqualTo(ids(server.allEvents("source=" + source)));
        browser.await(WAIT, "no more pages", d -> !browser.byTestId("load-older").isEnabled());
        assertThat(browser.byTestId("row-count").getText()).isEqualTo("620");
        clearFilters();
    }

    @Test
    @Order(5)
    void detailPanelShowsEveryFieldAndHighlightedExactData() {
        String source = "detail-" + RUN;
        ObjectNode e = event(source, "deploy", "multi\nline message");
        e.put("level", "warn");
        e.put("session_id", "s-42");
        e.putArray("tags").add("blue").add("canary");
        ObjectNode data = e.putObject("data");
        data.put("service", "api");
        data.putObject("nested").putArray("list").add(1).add(true).addNull().add("two");
        String body = e.toString().replace("\"data\":{", "\"data\":{\"big\":123456789012345678901234567890,\"dec\":1.50,");
        long id = server.postEvent(body);

        openDashboard();
        selectSource(source);
        clickRow(id);
        WebElement detail = browser.byTestId("detail");
        browser.await(WAIT, "detail", d -> detail.isDisplayed());
        assertThat(browser.byTestId("detail-title").getText()).isEqualTo("#" + id + " · deploy");
        assertThat(field("level")).isEqualTo("warn");
        assertThat(field("source")).isEqualTo(source);
        assertThat(field("session_id")).isEqualTo("s-42");
        assertThat(field("tags")).contains("blue").contains("canary");
        assertThat(field("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat((String) browser.js("return arguments[0].textContent", browser.byTestId("detail-message")))
                .isEqualTo("multi\nline message");
        WebElement pre = browser.byTestId("detail-data");
        String text = browser.js("return arguments[0].textContent", pre);
        assertThat(text).contains("\"big\": 123456789012345678901234567890")
                .contains("\"dec\": 1.50")
                .contains("\"service\": \"api\"")
                .contains("    \"list\": [");
        assertThat(pre.findElements(By.cssSelector(".j-key"))).extracting(WebElement::getText)
                .contains("\"big\"", "\"service\"", "\"nested\"", "\"list\"");
        assertThat(pre.findElements(By.cssSelector(".j-num"))).extracting(WebElement::getText)
                .contains("123456789012345678901234567890", "1.50", "1");
        assertThat(pre.findElements(By.cssSelector(".j-bool"))).hasSize(1);
        assertThat(pre.findElements(By.cssSelector(".j-null"))).hasSize(1);
        assertThat(pre.findElements(By.cssSelector(".j-str"))).extracting(WebElement::getText).contains("\"two\"", "\"api\"");

        browser.byTestId("detail-close").click();
        browser.await(WAIT, "detail closed", d -> !browser.byTestId("detail").isDisplayed());
        clearFilters();
    }

    @Test
    @Order(6)
    void exportsTheListedRowsAsCsvAndNdjson() throws IOException {
        String source = "export-" + RUN;
        ObjectNode first = event(source, "csv", "plain");
        first.put("level", "info");
        ObjectNode second = event(source, "csv", "comma, \"quote\"\nand newline");
        second.putArray("tags").add("x,y");
        second.putObject("data").put("k", "v\"w");
        long id1 = server.postEvent(first.toString());
        long id2 = server.postEvent(second.toString());
        openDashboard();
        selectSource(source);
        browser.await(WAIT, "two rows", d -> browser.listedIds().equals(List.of(id1, id2)));

        browser.byTestId("export-csv").click();
        String csv = Files.readString(browser.awaitDownload(".csv", WAIT), StandardCharsets.UTF_8);
        List<JsonNode> stored = server.allEvents("source=" + source);
        String[] lines = csv.split("\r\n", -1);
        assertThat(lines[0]).isEqualTo("id,timestamp,received_at,level,source,event_type,message,tags,session_id,uuid,data");
        assertThat(lines[1]).isEqualTo(id1 + "," + text(stored.get(0), "timestamp") + "," + text(stored.get(0), "received_at")
                + ",info," + source + ",csv,plain,[],,,");
        // a quoted field keeps its line feed; rows end with CRLF
        assertThat(csv).endsWith(id2 + "," + text(stored.get(1), "timestamp") + "," + text(stored.get(1), "received_at")
                + ",," + source + ",csv,\"comma, \"\"quote\"\"\nand newline\""
                + ",\"[\"\"x,y\"\"]\",,,\"{\"\"k\"\":\"\"v\\\"\"w\"\"}\"\r\n");
        assertThat(csv).endsWith("\r\n");

        browser.byTestId("export-ndjson").click();
        List<String> ndjson = Files.readAllLines(browser.awaitDownload(".ndjson", WAIT), StandardCharsets.UTF_8);
        assertThat(ndjson).hasSize(2);
        assertThat(ArgusServer.readJson(ndjson.get(0))).isEqualTo(stored.get(0));
        assertThat(ArgusServer.readJson(ndjson.get(1))).isEqualTo(stored.get(1));
        clearFilters();
    }

    @Test
    @Order(7)
    void hostileTextIsShownAsTextAndNeverRuns() {
        String source = "<img id=xss1 src=x onerror=\"window.__xss=1\">" + RUN;
        ObjectNode e = event(source, "<svg id=xss2 onload=\"window.__xss=2\">", "<script id=xss3>window.__xss=3</script><b id=xss4>bold</b>");
        e.put("level", "error");
        e.putArray("tags").add("<img id=xss5 src=x onerror=\"window.__xss=5\">");
        e.put("session_id", "\"><img id=xss6 src=x onerror=window.__xss=6>");
        ObjectNode data = e.putObject("data");
        data.put("html", "<img id=xss7 src=x onerror=window.__xss=7>");
        data.putArray("<b id=xss8>k</b>").add("</pre><script>window.__xss=8</script>");
        long id = server.postEvent(e.toString());

        openDashboard();
        selectSource(source);
        browser.await(WAIT, "hostile row", d -> browser.listedIds().equals(List.of(id)));
        clickRow(id);
        browser.await(WAIT, "detail", d -> browser.byTestId("detail").isDisplayed());

        WebElement row = rowById(id);
        assertThat(textOf(row.findElement(By.cssSelector(".c-source")))).isEqualTo(source);
        assertThat(textOf(row.findElement(By.cssSelector(".c-type")))).isEqualTo("<svg id=xss2 onload=\"window.__xss=2\">");
        assertThat(textOf(row.findElement(By.cssSelector(".c-msg"))))
                .isEqualTo("<script id=xss3>window.__xss=3</script><b id=xss4>bold</b>");
        assertThat(textOf(row.findElement(By.cssSelector(".c-tags")))).contains("<img id=xss5 src=x onerror=\"window.__xss=5\">");
        assertThat(field("session_id")).isEqualTo("\"><img id=xss6 src=x onerror=window.__xss=6>");
        assertThat(browser.byTestId("detail-data").getText())
                .contains("\"<img id=xss7 src=x onerror=window.__xss=7>\"")
                .contains("\"<b id=xss8>k</b>\"")
                .contains("\"</pre><script>window.__xss=8</script>\"");
        long injected = browser.js("return document.querySelectorAll('#xss1,#xss2,#xss3,#xss4,#xss5,#xss6,#xss7,#xss8,"
                + "img[src=x],svg[onload],[onerror]').length");
        assertThat(injected).isZero();
        assertThat((Object) browser.js("return window.__xss === undefined ? null : window.__xss")).isNull();
        long scripts = browser.js("return document.scripts.length");
        assertThat(scripts).isEqualTo(1L); // only the dashboard's own module
        browser.byTestId("detail-close").click();
        clearFilters();
    }

    @Test
    @Order(8)
    void aPostedEventAppearsLiveWithinASecond() {
        String source = "live-" + RUN;
        openDashboard();
        awaitLive();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            long id = server.postEvent(event(source, "live", "live " + i).toString());
            browser.await(Duration.ofSeconds(10), "event " + id + " listed", d -> browser.listedIds().contains(id));
            latencies.add((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("[dashboard] POST -> listed latency ms: " + latencies);
        // the product target is < 1 s; the bound here is generous for a loaded 2-core machine
        assertThat(latencies).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
        assertThat(browser.byTestId("connection-text").getText()).isEqualTo("live");
        browser.await(WAIT, "events/min counter", d -> Long.parseLong(browser.byTestId("rate").getText()) >= 5);
        long errorsBefore = Long.parseLong(browser.byTestId("errors").getText());
        ObjectNode error = event(source, "live", "an error");
        error.put("level", "error");
        server.postEvent(error.toString());
        browser.await(WAIT, "errors/min counter", d -> Long.parseLong(browser.byTestId("errors").getText()) > errorsBefore);
    }

    @Test
    @Order(9)
    void pauseBuffersEventsAndResumeListsThemOnce() {
        String source = "pause-" + RUN;
        long seed = server.postEvent(event(source, "seed", "before the page opened").toString());
        openDashboard();
        selectSource(source);
        awaitLive();
        browser.byTestId("pause").click();
        List<Long> posted = new ArrayList<>(List.of(seed));
        for (int i = 0; i < 3; i++) {
            posted.add(server.postEvent(event(source, "pause", "while paused " + i).toString()));
        }
        browser.await(WAIT, "buffered while paused", d -> pendingIds().equals(posted.subList(1, 4)));
        assertThat(browser.listedIds()).containsExactly(seed);
        assertThat(browser.byTestId("pending").getText()).contains("3 buffered");
        browser.byTestId("pause").click();
        browser.await(WAIT, "listed after resume", d -> browser.listedIds().equals(posted));
        assertThat(pendingIds()).isEmpty();
        clearFilters();
    }

    @Test
    @Order(10)
    void reconnectsAfterAServerRestartAndShowsEveryEventOnce() {
        String source = "restart-" + RUN;
        long seed = server.postEvent(event(source, "seed", "before the page opened").toString());
        openDashboard();
        selectSource(source);
        awaitLive();
        List<Long> posted = new ArrayList<>(List.of(seed));
        for (int i = 0; i < 5; i++) {
            posted.add(server.postEvent(event(source, "before", "before " + i).toString()));
        }
        browser.await(WAIT, "events before the restart", d -> browser.listedIds().equals(posted));

        server.kill9();
        browser.await(WAIT, "reconnecting state", d -> "reconnecting".equals(connectionState()));
        server.restart();
        for (int i = 0; i < 5; i++) {
            posted.add(server.postEvent(event(source, "after", "after " + i).toString()));
        }
        awaitLive();
        for (int i = 0; i < 3; i++) {
            posted.add(server.postEvent(event(source, "live", "live again " + i).toString()));
            server.postEvent(event("other-" + RUN, "live", "must not be listed under the source filter").toString());
        }
        browser.await(Duration.ofSeconds(30), "every event once", d -> browser.listedIds().equals(posted));
        List<Long> listed = browser.listedIds();
        assertThat(new HashSet<>(listed)).hasSize(listed.size());
        assertThat(listed).isEqualTo(ids(server.allEvents("source=" + source)));
        clearFilters();
    }

    @Test
    @Order(11)
    void tenThousandEventsStayResponsive() {
        String source = "bulk-" + RUN;
        server.postEvent(event(source, "seed", "before the page opened").toString());
        openDashboard();
        selectSource(source);
        awaitLive();
        String[] levels = {"trace", "debug", "info", "warn", "error", "fatal"};
        long t0 = System.nanoTime();
        for (int b = 0; b < 10; b++) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < 1000; i++) {
                int n = b * 1000 + i;
                ObjectNode e = event(source, n % 2 == 0 ? "compile" : "test", "bulk event " + n + " of the big run");
                e.put("level", levels[n % 6]);
                e.putArray("tags").add("bulk");
                e.putObject("data").put("n", n);
                batch.add(e);
            }
            postBatch(batch);
        }
        browser.await(Duration.ofSeconds(90), "10,001 rows listed", d -> browser.listedIds().size() == 10_001);
        long streamedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(browser.listedIds()).isEqualTo(ids(server.allEvents("source=" + source)));
        long domRows = browser.js("return document.querySelectorAll('[data-testid=event-row]:not([hidden])').length");
        assertThat(domRows).as("virtualised: only rows in view are in the DOM").isBetween(10L, 200L);

        browser.byTestId("level-error").click();
        WebElement timing = browser.byTestId("filter-timing");
        browser.await(WAIT, "client-side filter of 10,000 rows", d -> "10001".equals(timing.getAttribute("data-rows")));
        double filterMs = Double.parseDouble(timing.getAttribute("data-ms"));
        browser.await(WAIT, "errors only", d -> browser.listedIds().equals(
                ids(server.allEvents("source=" + source + "&level=error"))));

        browser.js("document.querySelector('[data-testid=event-list]').scrollTop = 1e9");
        browser.await(WAIT, "oldest error rendered after scrolling", d -> {
            List<Long> listed = browser.listedIds();
            return !browser.driver.findElements(By.cssSelector("[data-testid=event-row][data-id=\"" + listed.get(0) + "\"]")).isEmpty();
        });
        System.out.printf("[dashboard] 10,000 events: posted and listed live in %d ms; "
                + "client-side level filter over 10,000 rows took %.1f ms; %d row nodes in the DOM%n",
                streamedMs, filterMs, domRows);
        // target < 200 ms; generous bound for a loaded machine
        assertThat(filterMs).isLessThan(1000.0);
        clearFilters();
    }

    @Test
    @Order(12)
    void catchesUpAfterMissingMoreThanOneReplayWhileOffline() {
        String source = "offline-" + RUN;
        long seed = server.postEvent(event(source, "seed", "before the page opened").toString());
        openDashboard();
        selectSource(source);
        awaitLive();
        browser.driver.executeCdpCommand("Network.enable", Map.of());
        setOffline(true);
        try {
            browser.await(WAIT, "offline state", d -> "offline".equals(connectionState()));
            // more than the server replays in one go (10,000), so it answers replay_truncated
            for (int b = 0; b < 11; b++) {
                ArrayNode batch = JSON.createArrayNode();
                for (int i = 0; i < (b < 10 ? 1000 : 50); i++) {
                    batch.add(event(source, "missed", "missed while offline " + (b * 1000 + i)));
                }
                postBatch(batch);
            }
        } finally {
            setOffline(false);
        }
        awaitLive();
        List<Long> expected = ids(server.allEvents("source=" + source));
        assertThat(expected).hasSize(10_051).startsWith(seed);
        browser.await(Duration.ofSeconds(60), "all 10,051 listed once", d -> browser.listedIds().equals(expected));
        assertThat(((Number) browser.js("return window.argus.catchUps()")).longValue())
                .as("the server truncated the replay and the page paged the rest").isGreaterThanOrEqualTo(1);
        clearFilters();
    }

    @Test
    @Order(13)
    void assetsNeverParseEventTextAsHtml() throws IOException {
        Path assets = Paths.get(System.getProperty("argus.repo.dir", ".."), "argus-web/src/main/resources/assets");
        List<Path> code;
        try (var files = Files.walk(assets)) {
            code = files.filter(p -> p.toString().endsWith(".js") || p.toString().endsWith(".html")).toList();
        }
        assertThat(code).isNotEmpty();
        for (Path file : code) {
            String text = Files.readString(file);
            assertThat(text).as(file.toString())
                    .doesNotContain("innerHTML").doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
                    .doesNotContain("eval(").doesNotContain("new Function");
        }
    }

    @Test
    @Order(14)
    void theFilterLivesInTheUrlSoAViewCanBeBookmarked() {
        String source = "hash " + RUN + " & co";
        ArrayNode batch = JSON.createArrayNode();
        String[] levels = {"info", "error", "warn"};
        for (int i = 0; i < 9; i++) {
            ObjectNode e = event(source, "bookmark", "event " + i);
            e.put("level", levels[i % 3]);
            batch.add(e);
        }
        postBatch(batch);
        openDashboard();
        selectSource(source);
        browser.byTestId("level-error").click();
        browser.byTestId("level-warn").click();
        String query = "source=" + enc(source) + "&level=error&level=warn";
        List<Long> expected = assertListMatches(query);
        String hash = browser.js("return location.hash");
        assertThat(hash).as("levels in chip order").isEqualTo("#source=" + enc(source) + "&level=warn&level=error");

        browser.driver.get("about:blank");
        browser.driver.get(server.url() + "/" + hash);
        awaitHistory();
        assertThat(browser.listedIds()).isEqualTo(expected);
        assertThat(new Select(browser.byTestId("filter-source")).getFirstSelectedOption().getAttribute("value")).isEqualTo(source);
        assertThat(browser.byTestId("level-error").getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.byTestId("level-info").getAttribute("aria-pressed")).isEqualTo("false");
        clearFilters();
        assertThat((String) browser.js("return location.hash")).isEmpty();
    }

    @Test
    @Order(15)
    void followKeepsTheNewestInViewAndScrollingAwayKeepsTheReaderInPlace() {
        String source = "follow-" + RUN;
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 200; i++) {
            batch.add(event(source, "follow", "row " + i));
        }
        postBatch(batch);
        openDashboard();
        selectSource(source);
        awaitLive();
        WebElement follow = browser.byTestId("autoscroll");
        assertThat(follow.getAttribute("aria-pressed")).isEqualTo("true");

        browser.js("document.querySelector('[data-testid=event-list]').scrollTop = 1100");
        browser.await(WAIT, "follow off after scrolling away", d -> "false".equals(follow.getAttribute("aria-pressed")));
        long topBefore = idAtTopOfView();
        List<Long> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(server.postEvent(event(source, "follow", "new while reading " + i).toString()));
        }
        browser.await(WAIT, "new rows listed", d -> browser.listedIds().containsAll(added));
        browser.await(WAIT, "view anchored", d -> idAtTopOfView() == topBefore);

        follow.click();
        browser.await(WAIT, "back at the top", d -> ((Number) browser.js(
                "return document.querySelector('[data-testid=event-list]').scrollTop")).longValue() == 0);
        long newest = server.postEvent(event(source, "follow", "newest").toString());
        browser.await(WAIT, "newest at the top", d -> idAtTopOfView() == newest);
        assertThat(follow.getAttribute("aria-pressed")).isEqualTo("true");
        clearFilters();
    }

    // ---------------------------------------------------------------------------------- helpers

    /** Id of the row at the top edge of the list's viewport. */
    private static long idAtTopOfView() {
        Number id = browser.js("const l = document.querySelector('[data-testid=event-list]');"
                + "const ids = window.argus.ids(); const i = Math.floor(l.scrollTop / 22);"
                + "return ids[ids.length - 1 - i];");
        return id.longValue();
    }

    private static void setOffline(boolean offline) {
        browser.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
                "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
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

    private static String text(JsonNode e, String field) {
        return e.get(field).asText();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void enterKey(String key) {
        WebElement input = browser.byTestId("key-input");
        input.clear();
        input.sendKeys(key);
        browser.byTestId("key-submit").click();
    }

    /** Loads the page with the key already stored and waits for its first history. */
    private static void openDashboard() {
        browser.driver.get(server.url() + "/");
        browser.js("localStorage.setItem('argus.apiKey', arguments[0])", server.apiKey());
        browser.driver.navigate().refresh();
        awaitHistory();
    }

    private static void awaitHistory() {
        browser.await(WAIT, "history loaded", d -> Boolean.TRUE.equals(browser.js(
                "return !!window.argus && window.argus.historyReady()")));
    }

    private static void awaitLive() {
        browser.await(Duration.ofSeconds(45), "live stream", d -> "live".equals(connectionState()));
    }

    private static String connectionState() {
        return browser.byTestId("connection-state").getAttribute("data-state");
    }

    private static void selectSource(String source) {
        selectOption("filter-source", source);
    }

    private static void selectOption(String testId, String value) {
        browser.await(WAIT, testId + " option " + value, d -> Boolean.TRUE.equals(browser.js(
                "return [...arguments[0].options].some(o => o.value === arguments[1])", browser.byTestId(testId), value)));
        new Select(browser.byTestId(testId)).selectByValue(value);
        awaitHistory();
    }

    private static String textOf(WebElement element) {
        return browser.js("return arguments[0].textContent", element);
    }

    private static void typeFilter(String testId, String value) {
        WebElement input = browser.byTestId(testId);
        input.clear();
        input.sendKeys(value, Keys.ENTER);
    }

    private static void clearFilters() {
        browser.byTestId("filter-clear").click();
        awaitHistory();
    }

    /** Waits until the list equals the server's answer for {@code query}; returns the ids. */
    private static List<Long> assertListMatches(String query) {
        List<Long> expected = ids(server.allEvents(query));
        assertThat(expected).as("test data for " + query).isNotEmpty();
        browser.await(WAIT, "list for " + query + " = " + expected, d -> Boolean.TRUE.equals(browser.js(
                "return window.argus.historyReady()")) && browser.listedIds().equals(expected));
        return expected;
    }

    private static List<Long> pendingIds() {
        List<Number> ids = browser.js("return window.argus.pendingIds()");
        return ids.stream().map(Number::longValue).toList();
    }

    private static WebElement rowById(long id) {
        return browser.await(WAIT, "row " + id, d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-testid=event-row][data-id=\"" + id + "\"]"));
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    private static void clickRow(long id) {
        rowById(id).click();
    }

    private static String field(String name) {
        return browser.driver.findElement(By.cssSelector("[data-testid=detail] dd[data-field=\"" + name + "\"]")).getText();
    }
}
