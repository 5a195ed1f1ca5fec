package dev.argus.service.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.config.GithubRoute;
import dev.argus.service.core.Level;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GithubDeliveryMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    private final GithubDeliveryMapper mapper = new GithubDeliveryMapper(List.of());

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = GithubDeliveryMapperTest.class.getResourceAsStream("/github/" + name + ".json")) {
            return in.readAllBytes();
        }
    }

    /** A fixture with some members changed. */
    private static byte[] edited(String name, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture(name));
        edit.accept(root);
        return JSON.writeValueAsBytes(root);
    }

    private GithubEvent map(String event, byte[] body) throws GithubPayloadException {
        return (GithubEvent) mapper.map(event, DELIVERY, body, null);
    }

    private static JsonNode data(GithubEvent e) throws IOException {
        return JSON.readTree(e.dataJson());
    }

    @Test
    void workflowRunFailureIsAnErrorWithBranch() throws Exception {
        GithubEvent e = map("workflow_run", fixture("workflow_run"));
        assertThat(e.source()).isEqualTo("github:acme/widgets");
        assertThat(e.uuid()).isEqualTo(DELIVERY);
        assertThat(e.eventType()).isEqualTo("github.workflow_run");
        assertThat(e.message()).isEqualTo("Workflow 'CI' completed: failure on main");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.tags()).containsExactly("workflow_run", "completed");
        assertThat(e.branch()).isEqualTo("main");
        assertThat(e.repository()).isEqualTo("acme/widgets");
        assertThat(e.taskId()).isNull();
        JsonNode d = data(e);
        assertThat(d.path("action").asText()).isEqualTo("completed");
        assertThat(d.path("repository").asText()).isEqualTo("acme/widgets");
        assertThat(d.path("sender").asText()).isEqualTo("mona-dev");
        assertThat(d.path("branch").asText()).isEqualTo("main");
        assertThat(d.path("sha").asText()).isEqualTo("9f3c1d2e4b5a69788796a5b4c3d2e1f0a9b8c7d6");
        assertThat(d.path("url").asText()).isEqualTo("https://github.com/acme/widgets/actions/runs/13598765432");
        assertThat(d.path("run_id").asLong()).isEqualTo(13598765432L);
        assertThat(d.path("run_number").asInt()).isEqualTo(482);
        assertThat(d.path("conclusion").asText()).isEqualTo("failure");
        assertThat(d.path("workflow").asText()).isEqualTo("CI");
        assertThat(d.has("head_commit")).isFalse();
        assertThat(d.has("repository_full")).isFalse();
    }

    @Test
    void workflowRunSuccessTimeoutAndProgress() throws Exception {
        GithubEvent ok = map("workflow_run", edited("workflow_run", r -> ((ObjectNode) r.get("workflow_run")).put("conclusion", "success")));
        assertThat(ok.message()).isEqualTo("Workflow 'CI' completed: success on main");
        assertThat(ok.level()).isEqualTo(Level.INFO);
        GithubEvent timedOut = map("workflow_run", edited("workflow_run", r -> ((ObjectNode) r.get("workflow_run")).put("conclusion", "timed_out")));
        assertThat(timedOut.level()).isEqualTo(Level.ERROR);
        GithubEvent running = map("workflow_run", edited("workflow_run", r -> {
            r.put("action", "in_progress");
            ((ObjectNode) r.get("workflow_run")).put("status", "in_progress").putNull("conclusion");
        }));
        assertThat(running.message()).isEqualTo("Workflow 'CI' in progress on main");
        assertThat(running.level()).isEqualTo(Level.INFO);
        assertThat(running.tags()).containsExactly("workflow_run", "in_progress");
    }

    @Test
    void workflowRunWithoutANameUsesTheWorkflowsName() throws Exception {
        GithubEvent e = map("workflow_run", edited("workflow_run", r -> {
            ((ObjectNode) r.get("workflow_run")).put("name", "");
            ((ObjectNode) r.get("workflow")).put("name", "Nightly");
        }));
        assertThat(e.message()).isEqualTo("Workflow 'Nightly' completed: failure on main");
    }

    @Test
    void workflowJobFailure() throws Exception {
        GithubEvent e = map("workflow_job", fixture("workflow_job"));
        assertThat(e.message()).isEqualTo("Job 'test' completed: failure");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.tags()).containsExactly("workflow_job", "completed");
        assertThat(e.branch()).isEqualTo("main");
        JsonNode d = data(e);
        assertThat(d.path("job_id").asLong()).isEqualTo(37812345678L);
        assertThat(d.path("run_id").asLong()).isEqualTo(13598765432L);
        assertThat(d.path("url").asText()).isEqualTo("https://github.com/acme/widgets/actions/runs/13598765432/job/37812345678");
        assertThat(d.has("steps")).isFalse();
    }

    @Test
    void checkRunSuccessIsInfo() throws Exception {
        GithubEvent e = map("check_run", fixture("check_run"));
        assertThat(e.message()).isEqualTo("Check 'build' completed: success");
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.tags()).containsExactly("check_run", "completed");
        assertThat(e.branch()).isEqualTo("main");
        assertThat(data(e).path("url").asText()).isEqualTo("https://github.com/acme/widgets/runs/37812399999");
        GithubEvent failed = map("check_run", edited("check_run", r -> ((ObjectNode) r.get("check_run")).put("conclusion", "failure")));
        assertThat(failed.message()).isEqualTo("Check 'build' completed: failure");
        assertThat(failed.level()).isEqualTo(Level.ERROR);
    }

    @Test
    void checkSuiteTimedOutIsAnError() throws Exception {
        GithubEvent e = map("check_suite", fixture("check_suite"));
        assertThat(e.message()).isEqualTo("Check suite 'GitHub Actions' completed: timed_out on release/1.2");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.branch()).isEqualTo("release/1.2");
        assertThat(data(e).path("url").asText())
                .isEqualTo("https://github.com/acme/widgets/commit/9f3c1d2e4b5a69788796a5b4c3d2e1f0a9b8c7d6/checks");
    }

    @Test
    void pullRequestOpenedAndMerged() throws Exception {
        GithubEvent e = map("pull_request", fixture("pull_request"));
        assertThat(e.message()).isEqualTo("PR #12 opened: Add widget sizing");
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.tags()).containsExactly("pull_request", "opened");
        assertThat(e.branch()).isEqualTo("feature/sizing");
        JsonNode d = data(e);
        assertThat(d.path("number").asInt()).isEqualTo(12);
        assertThat(d.path("title").asText()).isEqualTo("Add widget sizing");
        assertThat(d.path("base").asText()).isEqualTo("main");
        assertThat(d.path("url").asText()).isEqualTo("https://github.com/acme/widgets/pull/12");
        assertThat(d.has("body")).isFalse();
        GithubEvent merged = map("pull_request", edited("pull_request", r -> {
            r.put("action", "closed");
            ((ObjectNode) r.get("pull_request")).put("merged", true).put("state", "closed");
        }));
        assertThat(merged.message()).isEqualTo("PR #12 merged: Add widget sizing");
        assertThat(merged.tags()).containsExactly("pull_request", "closed");
        GithubEvent review = map("pull_request", edited("pull_request", r -> r.put("action", "ready_for_review")));
        assertThat(review.message()).isEqualTo("PR #12 ready for review: Add widget sizing");
    }

    @Test
    void pushCountsCommitsAndHasNoActionTag() throws Exception {
        GithubEvent e = map("push", fixture("push"));
        assertThat(e.message()).isEqualTo("Pushed 3 commits to main");
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.tags()).containsExactly("push");
        assertThat(e.branch()).isEqualTo("main");
        JsonNode d = data(e);
        assertThat(d.has("action")).isFalse();
        assertThat(d.path("commits").asInt()).isEqualTo(3);
        assertThat(d.path("sha").asText()).isEqualTo("9f3c1d2e4b5a69788796a5b4c3d2e1f0a9b8c7d6");
        assertThat(d.path("title").asText()).isEqualTo("Bump version to 1.2.0");
        assertThat(d.path("url").asText()).startsWith("https://github.com/acme/widgets/compare/");
        GithubEvent one = map("push", edited("push", r -> ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("commits")).remove(0)));
        assertThat(map("push", edited("push", r -> {
            ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("commits")).remove(0);
            ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("commits")).remove(0);
        })).message()).isEqualTo("Pushed 1 commit to main");
        assertThat(one.message()).isEqualTo("Pushed 2 commits to main");
        assertThat(map("push", edited("push", r -> r.put("forced", true))).message()).isEqualTo("Force-pushed 3 commits to main");
        GithubEvent deleted = map("push", edited("push", r -> {
            r.put("ref", "refs/heads/old").put("deleted", true).putArray("commits");
        }));
        assertThat(deleted.message()).isEqualTo("Deleted branch old");
        GithubEvent tag = map("push", edited("push", r -> r.put("ref", "refs/tags/v1.2")));
        assertThat(tag.message()).isEqualTo("Pushed tag v1.2");
        assertThat(tag.branch()).isNull();
    }

    @Test
    void issueClosed() throws Exception {
        GithubEvent e = map("issues", fixture("issues"));
        assertThat(e.eventType()).isEqualTo("github.issues");
        assertThat(e.message()).isEqualTo("Issue #4 closed: Widgets report a negative area");
        assertThat(e.tags()).containsExactly("issues", "closed");
        assertThat(e.branch()).isNull();
        assertThat(data(e).path("number").asInt()).isEqualTo(4);
        assertThat(data(e).path("url").asText()).isEqualTo("https://github.com/acme/widgets/issues/4");
    }

    @Test
    void releasePublished() throws Exception {
        GithubEvent e = map("release", fixture("release"));
        assertThat(e.message()).isEqualTo("Release v1.2 published");
        assertThat(e.tags()).containsExactly("release", "published");
        assertThat(data(e).path("tag").asText()).isEqualTo("v1.2");
        assertThat(data(e).path("title").asText()).isEqualTo("Widgets 1.2");
    }

    @Test
    void anyOtherEventGetsASensibleLine() throws Exception {
        GithubEvent e = map("star", fixture("star"));
        assertThat(e.eventType()).isEqualTo("github.star");
        assertThat(e.message()).isEqualTo("star created on acme/widgets");
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.tags()).containsExactly("star", "created");
        assertThat(data(e).path("sender").asText()).isEqualTo("octo-fan");
        assertThat(data(e).path("url").asText()).isEqualTo("https://github.com/acme/widgets");
        GithubEvent noAction = map("fork", "{\"repository\":{\"full_name\":\"acme/widgets\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(noAction.message()).isEqualTo("fork on acme/widgets");
        assertThat(noAction.tags()).containsExactly("fork");
        GithubEvent orgOnly = map("organization", "{\"action\":\"member_added\",\"organization\":{\"login\":\"acme\"}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(orgOnly.source()).isEqualTo("github:acme");
        assertThat(orgOnly.message()).isEqualTo("organization member added on acme");
    }

    @Test
    void pingIsDistinctAndNeedsNoDeliveryId() throws Exception {
        GithubDelivery d = mapper.map("ping", null, fixture("ping"), null);
        assertThat(d).isInstanceOf(GithubDelivery.Ping.class);
        assertThat(((GithubDelivery.Ping) d).zen()).isEqualTo("Design for failure.");
        assertThat(((GithubDelivery.Ping) d).hookId()).isEqualTo(498765432L);
    }

    @Test
    void taskFromUrlParameterWinsOverRoutes() throws Exception {
        GithubDeliveryMapper routed = new GithubDeliveryMapper(List.of(new GithubRoute("acme/widgets", null, "task-route")));
        GithubEvent e = (GithubEvent) routed.map("push", DELIVERY, fixture("push"), " task-param ");
        assertThat(e.taskId()).isEqualTo("task-param");
        assertThat(((GithubEvent) routed.map("push", DELIVERY, fixture("push"), null)).taskId()).isEqualTo("task-route");
    }

    @Test
    void firstMatchingRouteWinsByRepositoryOwnerAndBranch() throws Exception {
        GithubDeliveryMapper routed = new GithubDeliveryMapper(List.of(
                new GithubRoute("acme/other", null, "t-other"),
                new GithubRoute("acme/widgets", "release/1.2", "t-release"),
                new GithubRoute("ACME/*", "main", "t-owner-main"),
                new GithubRoute("acme/widgets", null, "t-any")));
        assertThat(((GithubEvent) routed.map("push", DELIVERY, fixture("push"), null)).taskId()).isEqualTo("t-owner-main");
        assertThat(((GithubEvent) routed.map("check_suite", DELIVERY, fixture("check_suite"), null)).taskId()).isEqualTo("t-release");
        assertThat(((GithubEvent) routed.map("pull_request", DELIVERY, fixture("pull_request"), null)).taskId()).isEqualTo("t-any");
        assertThat(((GithubEvent) routed.map("issues", DELIVERY, fixture("issues"), null)).taskId())
                .as("a delivery without a branch skips branch rules").isEqualTo("t-any");
        GithubDeliveryMapper none = new GithubDeliveryMapper(List.of(new GithubRoute("someone/*", null, "x")));
        assertThat(((GithubEvent) none.map("push", DELIVERY, fixture("push"), null)).taskId()).isNull();
    }

    @Test
    void tenMegabyteDeliveryMapsQuicklyWithSmallData() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture("push"));
        root.remove("commits");
        String filler = "x".repeat(1000);
        ((ObjectNode) root.get("head_commit")).put("message", "Huge push\n" + filler.repeat(100));
        StringBuilder sb = new StringBuilder("{\"commits\":[");
        int n = 0;
        while (sb.length() < 10 * 1024 * 1024) {
            sb.append(n == 0 ? "" : ",").append("{\"id\":\"c").append(n).append("\",\"message\":\"").append(filler)
                    .append("\",\"modified\":[\"src/File").append(n).append(".java\"]}");
            n++;
        }
        sb.append("],").append(JSON.writeValueAsString(root).substring(1));
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(10 * 1024 * 1024);
        mapper.map("push", DELIVERY, body, null); // warm-up
        long start = System.nanoTime();
        GithubEvent e = map("push", body);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("10 MB push delivery (" + body.length + " bytes) mapped in " + millis + " ms, data "
                + e.dataJson().length() + " chars");
        assertThat(e.message()).isEqualTo("Pushed " + n + " commits to main");
        assertThat(e.dataJson().length()).isLessThan(2048);
        assertThat(millis).as("a 10 MB delivery maps in well under a second even on a loaded machine").isLessThan(2000);
    }

    @Test
    void longTitlesAreCutToOneLine() throws Exception {
        GithubEvent e = map("pull_request", edited("pull_request", r ->
                ((ObjectNode) r.get("pull_request")).put("title", "Line one\nline two " + "y".repeat(500))));
        assertThat(e.message()).startsWith("PR #12 opened: Line one line two").doesNotContain("\n").endsWith("…");
        assertThat(e.message().codePointCount(0, e.message().length())).isEqualTo(200);
    }

    @Test
    void malformedDeliveriesAreClearErrors() {
        byte[] push = "{\"ref\":\"refs/heads/main\"".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> mapper.map("push", DELIVERY, push, null))
                .isInstanceOf(GithubPayloadException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> mapper.map("push", DELIVERY, "[1]".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> mapper.map("push", DELIVERY, "payload=%7B%7D".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(GithubPayloadException.class);
        assertThatThrownBy(() -> mapper.map("push", DELIVERY, "{} {}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> mapper.map("push", DELIVERY, new byte[0], null)).hasMessageContaining("empty body");
        assertThatThrownBy(() -> mapper.map(null, DELIVERY, "{}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("X-GitHub-Event");
        assertThatThrownBy(() -> mapper.map("Push Event", DELIVERY, "{}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("X-GitHub-Event");
        assertThatThrownBy(() -> mapper.map("push", " ", "{}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("X-GitHub-Delivery");
        assertThatThrownBy(() -> mapper.map("push", "d".repeat(65), "{}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("X-GitHub-Delivery");
    }

    @Test
    void eventJsonCarriesEveryFieldForTheIngestParser() throws Exception {
        GithubDeliveryMapper routed = new GithubDeliveryMapper(List.of(new GithubRoute("acme/*", null, "t1")));
        GithubEvent e = (GithubEvent) routed.map("workflow_job", DELIVERY, fixture("workflow_job"), null);
        JsonNode ev = JSON.readTree(e.toEventJson());
        assertThat(ev.path("source").asText()).isEqualTo("github:acme/widgets");
        assertThat(ev.path("event_type").asText()).isEqualTo("github.workflow_job");
        assertThat(ev.path("level").asText()).isEqualTo("error");
        assertThat(ev.path("uuid").asText()).isEqualTo(DELIVERY);
        assertThat(ev.path("task_id").asText()).isEqualTo("t1");
        assertThat(ev.path("tags").toString()).isEqualTo("[\"workflow_job\",\"completed\"]");
        assertThat(ev.path("data")).isEqualTo(JSON.readTree(e.dataJson()));
        assertThat(JSON.readTree(((GithubEvent) mapper.map("star", DELIVERY, fixture("star"), null)).toEventJson()).has("task_id")).isFalse();
    }
}
