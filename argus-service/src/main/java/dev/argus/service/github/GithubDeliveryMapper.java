package dev.argus.service.github;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.config.GithubRoute;
import dev.argus.service.core.Level;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maps one GitHub webhook delivery to the event Argus stores (SPEC §14). Pure: no I/O, no clock.
 *
 * <p>The body is read with a streaming parser that keeps only the top-level members a message or
 * the curated {@code data} needs and skips the rest unread into memory (a push's {@code commits}
 * array is only counted), so a 10 MB delivery maps quickly and its {@code data} stays small.
 */
public final class GithubDeliveryMapper {
    /** Conclusions that make a run, job, check or check suite an {@code error}. */
    static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure");

    private static final int MAX_MESSAGE = 200;
    private static final int MAX_DATA_STRING = 512;
    private static final int MAX_SOURCE = 128;
    private static final int MAX_TAG = 64;
    private static final int MAX_UUID = 64;

    /** Top-level members worth reading; every other one is skipped (the event's own object is read too). */
    private static final Set<String> KEPT = Set.of("action", "repository", "sender", "organization", "zen",
            "hook_id", "ref", "before", "after", "created", "deleted", "forced", "compare", "head_commit", "pusher",
            "workflow", "number");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<GithubRoute> routes;

    public GithubDeliveryMapper(List<GithubRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    /** See {@link #map(String, String, byte[], int, int, String)}. */
    public GithubDelivery map(String event, String deliveryId, byte[] body, String taskIdParam)
            throws GithubPayloadException {
        return map(event, deliveryId, body, 0, body == null ? 0 : body.length, taskIdParam);
    }

    /**
     * @param event       {@code X-GitHub-Event}
     * @param deliveryId  {@code X-GitHub-Delivery}, the stored event's {@code uuid}
     * @param body        the raw body; {@code [offset, offset+length)} is read
     * @param taskIdParam {@code ?task_id=} of the hook URL, or null; passed through as given (the
     *                    caller answers 422 when it names no task)
     * @throws GithubPayloadException for a missing or malformed header or body (answer 400)
     */
    public GithubDelivery map(String event, String deliveryId, byte[] body, int offset, int length, String taskIdParam)
            throws GithubPayloadException {
        if (event == null || event.isBlank()) {
            throw new GithubPayloadException("missing X-GitHub-Event header");
        }
        event = event.strip();
        if (!event.matches("[a-z0-9_]{1,64}")) {
            throw new GithubPayloadException("X-GitHub-Event is not a GitHub event name: " + oneLine(event, 64));
        }
        ObjectNode root = read(body, offset, length, event);
        if (event.equals("ping")) {
            JsonNode hook = root.get("hook_id");
            return new GithubDelivery.Ping(text(root, "zen"), hook != null && hook.canConvertToLong() ? hook.asLong() : null);
        }
        if (deliveryId == null || deliveryId.isBlank()) {
            throw new GithubPayloadException("missing X-GitHub-Delivery header");
        }
        deliveryId = deliveryId.strip();
        if (deliveryId.length() > MAX_UUID || deliveryId.chars().anyMatch(Character::isISOControl)) {
            throw new GithubPayloadException("X-GitHub-Delivery must be 1-64 characters without control characters");
        }
        Mapped m = mapEvent(event, root);
        String repository = cleanRepository(text(root.path("repository"), "full_name"));
        String owner = text(root.path("organization"), "login");
        String source = repository != null ? "github:" + repository : owner != null ? "github:" + oneLine(owner, 100) : "github";
        source = truncate(source, MAX_SOURCE, "");

        ObjectNode data = JSON.createObjectNode();
        put(data, "action", m.action);
        put(data, "repository", repository);
        put(data, "sender", text(root.path("sender"), "login"));
        put(data, "branch", m.branch);
        put(data, "sha", m.sha);
        put(data, "url", m.url);
        data.setAll(m.extra);

        List<String> tags = new ArrayList<>(2);
        tags.add(event);
        if (m.action != null && !m.action.isEmpty()) {
            tags.add(truncate(oneLine(m.action, MAX_TAG), MAX_TAG, ""));
        }
        String taskId = taskIdParam != null ? taskIdParam.strip() : route(repository, m.branch);
        String data1;
        try {
            data1 = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new GithubEvent(source, deliveryId, "github." + event, truncate(m.message, MAX_MESSAGE, "…"),
                m.level, tags, data1, taskId, repository, m.branch);
    }

    /** The task of the first route matching the repository and branch, else null. */
    String route(String repository, String branch) {
        for (GithubRoute r : routes) {
            if (r.matches(repository, branch)) {
                return r.getTaskId();
            }
        }
        return null;
    }

    // ---- reading -----------------------------------------------------------------------------

    private static ObjectNode read(byte[] body, int offset, int length, String event) throws GithubPayloadException {
        if (body == null || length == 0) {
            throw new GithubPayloadException("empty body: a GitHub delivery is a JSON object");
        }
        ObjectNode root = JSON.createObjectNode();
        try (JsonParser p = JSON.getFactory().createParser(body, offset, length)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new GithubPayloadException("the body must be a JSON object (set the webhook's content type to application/json)");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (KEPT.contains(name) || name.equals(event) || isEventObject(event, name)) {
                    root.set(name, JSON.readTree(p));
                } else if (name.equals("commits") && value == JsonToken.START_ARRAY) {
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                        n++;
                    }
                    root.put("commits", n);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new GithubPayloadException("trailing content after the JSON object");
            }
        } catch (JsonParseException e) {
            throw new GithubPayloadException("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GithubPayloadException("malformed JSON: " + e.getMessage());
        }
        return root;
    }

    /** The member holding the event's subject where its name differs from the event's. */
    private static boolean isEventObject(String event, String name) {
        return switch (event) {
            case "issues" -> name.equals("issue");
            case "check_run", "check_suite", "workflow_run", "workflow_job", "pull_request", "release" -> name.equals(event);
            default -> name.equals("comment") || name.equals("issue") || name.equals("pull_request");
        };
    }

    // ---- mapping -------------------------------------------------------------------------------

    /** What an event contributes beyond the common fields. */
    private static final class Mapped {
        String action;
        String message;
        Level level = Level.INFO;
        String branch;
        String sha;
        String url;
        final ObjectNode extra = JSON.createObjectNode();
    }

    private static Mapped mapEvent(String event, ObjectNode root) {
        Mapped m = new Mapped();
        m.action = text(root, "action");
        switch (event) {
            case "workflow_run" -> workflowRun(root, m);
            case "workflow_job" -> workflowJob(root, m);
            case "check_run" -> checkRun(root, m);
            case "check_suite" -> checkSuite(root, m);
            case "pull_request" -> pullRequest(root, m);
            case "push" -> push(root, m);
            case "issues" -> issue(root, m);
            case "release" -> release(root, m);
            default -> other(event, root, m);
        }
        return m;
    }

    private static void workflowRun(ObjectNode root, Mapped m) {
        JsonNode run = root.path("workflow_run");
        String name = firstNonEmpty(text(run, "name"), text(root.path("workflow"), "name"), "workflow");
        m.branch = text(run, "head_branch");
        m.sha = text(run, "head_sha");
        m.url = text(run, "html_url");
        String conclusion = text(run, "conclusion");
        putNumber(m.extra, "run_id", run.get("id"));
        putNumber(m.extra, "run_number", run.get("run_number"));
        putNumber(m.extra, "run_attempt", run.get("run_attempt"));
        put(m.extra, "workflow", name);
        put(m.extra, "title", text(run, "display_title"));
        put(m.extra, "trigger", text(run, "event"));
        put(m.extra, "status", text(run, "status"));
        put(m.extra, "conclusion", conclusion);
        m.message = "Workflow '" + oneLine(name, 100) + "' " + outcome(m, conclusion) + on(m.branch);
    }

    private static void workflowJob(ObjectNode root, Mapped m) {
        JsonNode job = root.path("workflow_job");
        String name = firstNonEmpty(text(job, "name"), "job");
        m.branch = text(job, "head_branch");
        m.sha = text(job, "head_sha");
        m.url = text(job, "html_url");
        String conclusion = text(job, "conclusion");
        putNumber(m.extra, "job_id", job.get("id"));
        putNumber(m.extra, "run_id", job.get("run_id"));
        putNumber(m.extra, "run_attempt", job.get("run_attempt"));
        put(m.extra, "job", name);
        put(m.extra, "workflow", text(job, "workflow_name"));
        put(m.extra, "status", text(job, "status"));
        put(m.extra, "conclusion", conclusion);
        m.message = "Job '" + oneLine(name, 100) + "' " + outcome(m, conclusion);
    }

    private static void checkRun(ObjectNode root, Mapped m) {
        JsonNode check = root.path("check_run");
        String name = firstNonEmpty(text(check, "name"), "check");
        m.branch = text(check.path("check_suite"), "head_branch");
        m.sha = text(check, "head_sha");
        m.url = firstNonEmpty(text(check, "html_url"), text(check, "details_url"));
        String conclusion = text(check, "conclusion");
        putNumber(m.extra, "check_run_id", check.get("id"));
        put(m.extra, "check", name);
        put(m.extra, "app", text(check.path("app"), "name"));
        put(m.extra, "status", text(check, "status"));
        put(m.extra, "conclusion", conclusion);
        m.message = "Check '" + oneLine(name, 100) + "' " + outcome(m, conclusion);
    }

    private static void checkSuite(ObjectNode root, Mapped m) {
        JsonNode suite = root.path("check_suite");
        String app = text(suite.path("app"), "name");
        m.branch = text(suite, "head_branch");
        m.sha = text(suite, "head_sha");
        String repoUrl = text(root.path("repository"), "html_url");
        // A check suite has no page of its own; its commit's checks page is the one a person wants.
        m.url = repoUrl != null && m.sha != null ? repoUrl + "/commit/" + m.sha + "/checks" : null;
        String conclusion = text(suite, "conclusion");
        putNumber(m.extra, "check_suite_id", suite.get("id"));
        put(m.extra, "app", app);
        put(m.extra, "status", text(suite, "status"));
        put(m.extra, "conclusion", conclusion);
        m.message = "Check suite" + (app == null ? "" : " '" + oneLine(app, 100) + "'") + " " + outcome(m, conclusion)
                + on(m.branch);
    }

    /** {@code completed: failure} (and sets the level), or the action in words. */
    private static String outcome(Mapped m, String conclusion) {
        if ("completed".equals(m.action)) {
            if (conclusion != null && FAILED.contains(conclusion)) {
                m.level = Level.ERROR;
            }
            return conclusion == null ? "completed" : "completed: " + oneLine(conclusion, 40);
        }
        return words(m.action);
    }

    private static void pullRequest(ObjectNode root, Mapped m) {
        JsonNode pr = root.path("pull_request");
        JsonNode numberNode = root.has("number") ? root.get("number") : pr.get("number");
        String title = text(pr, "title");
        m.branch = text(pr.path("head"), "ref");
        m.sha = text(pr.path("head"), "sha");
        m.url = text(pr, "html_url");
        putNumber(m.extra, "number", numberNode);
        put(m.extra, "title", title);
        put(m.extra, "base", text(pr.path("base"), "ref"));
        put(m.extra, "state", text(pr, "state"));
        putBoolean(m.extra, "draft", pr.get("draft"));
        putBoolean(m.extra, "merged", pr.get("merged"));
        boolean merged = "closed".equals(m.action) && pr.path("merged").asBoolean(false);
        String verb = merged ? "merged" : words(m.action);
        m.message = "PR #" + number(numberNode) + " " + verb + (title == null ? "" : ": " + oneLine(title, MAX_MESSAGE));
    }

    private static void push(ObjectNode root, Mapped m) {
        String ref = text(root, "ref");
        String branch = null;
        String tag = null;
        if (ref != null && ref.startsWith("refs/heads/")) {
            branch = ref.substring("refs/heads/".length());
        } else if (ref != null && ref.startsWith("refs/tags/")) {
            tag = ref.substring("refs/tags/".length());
        }
        int commits = root.path("commits").asInt(0);
        boolean created = root.path("created").asBoolean(false);
        boolean deleted = root.path("deleted").asBoolean(false);
        boolean forced = root.path("forced").asBoolean(false);
        m.branch = branch;
        m.sha = text(root, "after");
        m.url = firstNonEmpty(text(root, "compare"), text(root.path("head_commit"), "url"));
        put(m.extra, "ref", ref);
        put(m.extra, "tag", tag);
        put(m.extra, "before", text(root, "before"));
        m.extra.put("commits", commits);
        putBoolean(m.extra, "created", root.get("created"));
        putBoolean(m.extra, "deleted", root.get("deleted"));
        putBoolean(m.extra, "forced", root.get("forced"));
        put(m.extra, "pusher", text(root.path("pusher"), "name"));
        String headMessage = text(root.path("head_commit"), "message");
        if (headMessage != null) {
            put(m.extra, "title", oneLine(headMessage.lines().findFirst().orElse(""), MAX_MESSAGE));
        }
        String where = branch != null ? oneLine(branch, 100) : tag != null ? "tag " + oneLine(tag, 100)
                : ref != null ? oneLine(ref, 100) : "?";
        if (deleted) {
            m.message = "Deleted " + (branch != null ? "branch " + where : where);
        } else if (tag != null) {
            m.message = "Pushed " + where;
        } else if (created && commits == 0) {
            m.message = "Created branch " + where;
        } else {
            m.message = (forced ? "Force-pushed " : "Pushed ") + commits + (commits == 1 ? " commit" : " commits")
                    + " to " + where;
        }
    }

    private static void issue(ObjectNode root, Mapped m) {
        JsonNode issue = root.path("issue");
        String title = text(issue, "title");
        m.url = text(issue, "html_url");
        putNumber(m.extra, "number", issue.get("number"));
        put(m.extra, "title", title);
        put(m.extra, "state", text(issue, "state"));
        m.message = "Issue #" + number(issue.get("number")) + " " + words(m.action)
                + (title == null ? "" : ": " + oneLine(title, MAX_MESSAGE));
    }

    private static void release(ObjectNode root, Mapped m) {
        JsonNode rel = root.path("release");
        String tag = text(rel, "tag_name");
        String name = text(rel, "name");
        m.url = text(rel, "html_url");
        put(m.extra, "tag", tag);
        put(m.extra, "title", name);
        putBoolean(m.extra, "prerelease", rel.get("prerelease"));
        putBoolean(m.extra, "draft", rel.get("draft"));
        String label = firstNonEmpty(tag, name);
        m.message = "Release" + (label == null ? "" : " " + oneLine(label, 100)) + " " + words(m.action);
    }

    /** Any other event: {@code star created on owner/name}, with what its subject object offers. */
    private static void other(String event, ObjectNode root, Mapped m) {
        JsonNode subject = root.has(event) ? root.get(event) : root.has("comment") ? root.get("comment")
                : root.has("issue") ? root.get("issue") : root.path("pull_request");
        String repository = cleanRepository(text(root.path("repository"), "full_name"));
        String owner = text(root.path("organization"), "login");
        m.url = firstNonEmpty(text(subject, "html_url"), text(root.path("repository"), "html_url"));
        putNumber(m.extra, "number", subject.get("number"));
        put(m.extra, "title", text(subject, "title"));
        String where = repository != null ? repository : owner != null ? oneLine(owner, 100) : null;
        m.message = event + (m.action == null || m.action.isEmpty() ? "" : " " + words(m.action))
                + (where == null ? "" : " on " + where);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String on(String branch) {
        return branch == null ? "" : " on " + oneLine(branch, 100);
    }

    /** {@code ready_for_review} → {@code ready for review}. */
    private static String words(String action) {
        return action == null || action.isEmpty() ? "updated" : oneLine(action.replace('_', ' '), 60);
    }

    private static String number(JsonNode n) {
        return n != null && n.isIntegralNumber() ? n.asText() : "?";
    }

    /** A string member, or null when absent, null or not a string. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String cleanRepository(String fullName) {
        return fullName == null || fullName.isBlank() ? null : oneLine(fullName, 140);
    }

    /** The text on one line: control characters become spaces, then at most {@code max} characters. */
    static String oneLine(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && sb.length() <= max; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return truncate(sb.toString().strip(), max, "…");
    }

    private static String truncate(String s, int max, String ellipsis) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        int end = s.offsetByCodePoints(0, max - ellipsis.length());
        return s.substring(0, end) + ellipsis;
    }

    private static void put(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, oneLine(value, MAX_DATA_STRING));
        }
    }

    private static void putNumber(ObjectNode o, String name, JsonNode value) {
        if (value != null && value.isIntegralNumber()) {
            o.set(name, value);
        }
    }

    private static void putBoolean(ObjectNode o, String name, JsonNode value) {
        if (value != null && value.isBoolean()) {
            o.put(name, value.asBoolean());
        }
    }
}
