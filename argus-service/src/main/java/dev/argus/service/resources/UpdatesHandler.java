package dev.argus.service.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.agents.ClaudeHookMapper;
import dev.argus.service.agents.HookEvent;
import dev.argus.service.agents.HookValidationException;
import dev.argus.service.core.AgentFields;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.FieldError;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.MalformedInputException;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.TaskLookup;
import dev.argus.service.core.Timestamps;
import dev.argus.service.github.GithubDelivery;
import dev.argus.service.github.GithubDeliveryMapper;
import dev.argus.service.github.GithubEvent;
import dev.argus.service.github.GithubPayloadException;
import dev.argus.service.http.RequestBodies;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.storage.UpdateReader;
import dev.argus.service.work.ManualUpdate;
import dev.argus.service.work.MonitorErrors;
import dev.argus.service.work.UpdateView;
import dev.argus.service.work.WorkJson;
import dev.argus.service.work.WorkRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The update routes of the Monitor API (SPEC §13.2): {@code POST /api/updates/manual},
 * {@code POST /api/updates/claude-hook}, {@code POST /api/updates/github-webhook} and
 * {@code GET /api/updates}. An update is an event with a {@code task_id}: each POST goes through
 * the ordinary ingest path (parsed as a {@code POST /events} body, then the group-commit writer),
 * so it is durable before the answer and reaches every stream. Errors are Monitor-shaped.
 */
public final class UpdatesHandler {
    /** {@code GET /api/updates}: default and bounds of {@code limit} (clamped, never refused). */
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    static final Set<String> LIST_PARAMETERS = Set.of("task_id", "source", "kind", "tag", "after_seq", "limit");
    private static final Set<String> HOOK_FIELDS = Set.of("task_id", "payload");
    private static final Set<String> GITHUB_FIELDS = Set.of("task_id", "headers", "payload");

    private final IngestEngine engine;
    private final EventParser parser;
    private final TaskLookup tasks;
    private final UpdateReader reader;
    private final GithubDeliveryMapper github;
    private final ClaudeHookMapper hooks = new ClaudeHookMapper();
    private final int maxBodyBytes;

    public UpdatesHandler(IngestEngine engine, EventParser parser, TaskLookup tasks, UpdateReader reader,
                          GithubDeliveryMapper github, int maxBodyBytes) {
        this.engine = engine;
        this.parser = parser;
        this.tasks = tasks;
        this.reader = reader;
        this.github = github;
        this.maxBodyBytes = maxBodyBytes;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException, StorageException;
    }

    /** {@code POST /api/updates/manual {task_id, message, level?, kind?, tags?, data?}} → 201 update. */
    public void manual(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            noQuery(req);
            ManualUpdate update = ManualUpdate.parse(ApiBodies.jsonObject(req, maxBodyBytes));
            requireTask(update.taskId());
            NewEvent event = parse(update.toEventJson().getBytes(StandardCharsets.UTF_8));
            store(resp, event);
        });
    }

    /** {@code POST /api/updates/claude-hook {task_id, payload}}: the payload mapped as SPEC §12.2. */
    public void claudeHook(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            noQuery(req);
            ObjectNode body = ApiBodies.jsonObject(req, maxBodyBytes);
            onlyFields(body, HOOK_FIELDS);
            String taskId = taskId(body);
            JsonNode payload = body.get("payload");
            if (payload == null || !payload.isObject()) {
                throw new WorkRequestException(422, "payload", "'payload' must be a JSON object (the hook's input)");
            }
            requireTask(taskId);
            byte[] raw = WorkJson.write(payload).getBytes(StandardCharsets.UTF_8);
            HookEvent h;
            try {
                h = hooks.map(raw, raw.length, null, taskId, null);
            } catch (MalformedInputException e) {
                throw new WorkRequestException(422, "payload", e.getMessage());
            } catch (HookValidationException e) {
                throw new WorkRequestException(422, "payload", "invalid hook: " + e.getMessage());
            }
            store(resp, new NewEvent(h.source(), h.eventType(), h.level(), h.message(), Timestamps.nowMicros(),
                    h.dataJson(), h.tags(), WorkJson.write(WorkJson.MAPPER.valueToTree(h.tags())), h.sessionId(),
                    h.uuid(), AgentFields.of(h.hook(), h.toolName(), h.toolUseId(), h.agentId(), h.status(),
                    h.isBackground(), h.taskId())));
        });
    }

    /** {@code POST /api/updates/github-webhook {task_id, headers?, payload}}: mapped as SPEC §14. */
    public void githubWebhook(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            noQuery(req);
            ObjectNode body = ApiBodies.jsonObject(req, maxBodyBytes);
            onlyFields(body, GITHUB_FIELDS);
            String taskId = taskId(body);
            JsonNode payload = body.get("payload");
            if (payload == null || !payload.isObject()) {
                throw new WorkRequestException(422, "payload", "'payload' must be a JSON object (the delivery's body)");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode h = body.get("headers");
            if (h != null && !h.isNull()) {
                if (!h.isObject()) {
                    throw new WorkRequestException(422, "headers", "'headers' must be a JSON object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isTextual()) {
                        throw new WorkRequestException(422, "headers", "header '" + e.getKey() + "' must be a string");
                    }
                    headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().textValue());
                }
            }
            String eventName = headers.get("x-github-event");
            if (eventName == null) {
                throw new WorkRequestException(422, "headers", "'headers' must name the event (X-GitHub-Event)");
            }
            String delivery = headers.getOrDefault("x-github-delivery", UUID.randomUUID().toString());
            requireTask(taskId);
            byte[] raw = WorkJson.write(payload).getBytes(StandardCharsets.UTF_8);
            GithubDelivery mapped;
            try {
                mapped = github.map(eventName, delivery, raw, taskId);
            } catch (GithubPayloadException e) {
                throw new WorkRequestException(422, "payload", e.getMessage());
            }
            if (!(mapped instanceof GithubEvent ev)) {
                throw new WorkRequestException(422, "headers", "a ping delivery is not an update");
            }
            store(resp, parse(ev.toEventJson().getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** {@code GET /api/updates?task_id=&source=&kind=&tag=&after_seq=&limit=} → {@code {items, total}}. */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            Map<String, List<String>> q = query(req, LIST_PARAMETERS);
            UpdateReader.Query filter = filter(q);
            long after = afterSeq(q.get("after_seq"));
            int limit = limit(q.get("limit"));
            List<StoredEvent> items = reader.find(filter, after, limit);
            long total = reader.count(filter, after);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = WorkJson.MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayFieldStart("items");
                for (StoredEvent e : items) {
                    UpdateView.of(e, e.agent().taskId()).write(g);
                }
                g.writeEndArray();
                g.writeNumberField("total", total);
                g.writeEndObject();
            }
            writeJson(resp, 200, out.toByteArray());
        });
    }

    /** The stream/list filter of the query (every name a list: repeated = any of). */
    public static UpdateReader.Query filter(Map<String, List<String>> q) {
        return new UpdateReader.Query(values(q, "task_id"), values(q, "source"), values(q, "kind"), values(q, "tag"));
    }

    private static List<String> values(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : v) {
            if (!s.isBlank()) {
                out.add(name.equals("task_id") ? s.strip().toLowerCase(Locale.ROOT) : s.strip());
            }
        }
        return out;
    }

    /** {@code after_seq}: a non-negative integer, 0 when absent. */
    public static long afterSeq(List<String> v) {
        if (v == null || v.isEmpty() || v.get(0).isBlank()) {
            return 0;
        }
        if (v.size() > 1) {
            throw badRequest("'after_seq' may be given only once");
        }
        try {
            long n = Long.parseLong(v.get(0).strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw badRequest("'after_seq' must be a non-negative integer");
    }

    private static int limit(List<String> v) {
        if (v == null || v.isEmpty() || v.get(0).isBlank()) {
            return DEFAULT_LIMIT;
        }
        if (v.size() > 1) {
            throw badRequest("'limit' may be given only once");
        }
        long n;
        try {
            n = Long.parseLong(v.get(0).strip());
        } catch (NumberFormatException e) {
            throw badRequest("'limit' must be an integer");
        }
        return (int) Math.max(1, Math.min(MAX_LIMIT, n));
    }

    /** Query parameters by name (repeats kept); 400 for a name not in {@code allowed}. */
    public static Map<String, List<String>> query(HttpServletRequest req, Set<String> allowed) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = req.getQueryString();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw badRequest("malformed query string");
            }
            if (!allowed.contains(name)) {
                throw badRequest("unknown query parameter '" + name + "'; accepted: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp, Action action) throws IOException {
        try {
            action.run();
        } catch (WorkRequestException e) {
            if (e.code() == 413) {
                resp.setHeader("Connection", "close");
            } else if (e.code() == 415 || e.code() == 400) {
                RequestBodies.discard(req, resp, maxBodyBytes);
            }
            MonitorErrors.send(resp, e.toError());
        } catch (StorageException e) {
            MonitorErrors.send(resp, 503, e.getMessage());
        }
    }

    private void requireTask(String taskId) {
        if (!tasks.exists(taskId)) {
            throw new WorkRequestException(404, "task_id", "task " + taskId + " not found");
        }
    }

    private static String taskId(ObjectNode body) {
        JsonNode v = body.get("task_id");
        if (v == null || v.isNull()) {
            throw new WorkRequestException(422, "task_id", "'task_id' is required");
        }
        if (!v.isTextual() || !WorkJson.isUuid(v.textValue().strip())) {
            throw new WorkRequestException(422, "task_id", "'task_id' must be a UUID");
        }
        return v.textValue().strip().toLowerCase(Locale.ROOT);
    }

    private static void onlyFields(ObjectNode body, Set<String> allowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new WorkRequestException(422, name, "unknown field '" + name + "'");
            }
        }
    }

    private static void noQuery(HttpServletRequest req) {
        String raw = req.getQueryString();
        if (raw != null && !raw.isEmpty()) {
            throw badRequest("unknown query parameter; none is accepted");
        }
    }

    /** An update as a {@code POST /events} body through the one event parser (SPEC §2 rules); 422 when invalid. */
    private NewEvent parse(byte[] eventJson) {
        EventParser.Result r;
        try {
            r = parser.parseSingle(eventJson, eventJson.length, Timestamps.nowMicros());
        } catch (MalformedInputException e) {
            throw new WorkRequestException(422, null, e.getMessage());
        }
        if (!r.valid()) {
            FieldError first = r.errors().get(0);
            String what = first.field() == null ? first.message() : first.field() + " " + first.message();
            throw new WorkRequestException(422, first.field(), "invalid update: " + what);
        }
        return r.events().get(0);
    }

    /**
     * Commits the event and answers 201 with its update view as stored (200 for a repeated uuid,
     * with the first one's). Read back rather than built from the request: the stored text can
     * differ (PostgreSQL keeps U+0000 as U+FFFD, see PgText), and the answer, a later GET and the
     * stream then agree. (Built from the request only if retention already took the row.)
     */
    private void store(HttpServletResponse resp, NewEvent event) throws IOException, StorageException {
        IngestResult stored = engine.write(List.of(event));
        long id = stored.ids()[0];
        List<StoredEvent> first = reader.find(new UpdateReader.Query(List.of(), List.of(), List.of(), List.of()),
                id - 1, 1);
        StoredEvent e = !first.isEmpty() && first.get(0).id() == id ? first.get(0) : StoredEvent.of(id, 0, event);
        UpdateView view = UpdateView.of(e, e.agent().taskId());
        writeJson(resp, stored.duplicate()[0] ? 200 : 201, WorkJson.MAPPER.writeValueAsBytes(view));
    }

    private static WorkRequestException badRequest(String message) {
        return new WorkRequestException(400, null, message);
    }


    private static void writeJson(HttpServletResponse resp, int status, byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
