package dev.argus.service.resources;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.agents.ClaudeHookMapper;
import dev.argus.service.agents.HookEvent;
import dev.argus.service.agents.HookValidationException;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.config.LimitsConfig;
import dev.argus.service.core.AgentFields;
import dev.argus.service.core.FieldError;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.MalformedInputException;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.QueryParameters;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.TaskLookup;
import dev.argus.service.core.Timestamps;
import dev.argus.service.http.RequestBodies;
import dev.argus.service.ingest.IngestEngine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /hooks/claude} (SPEC §12.2): the raw Claude Code hook JSON mapped to one event,
 * stored durably before the answer {@code 200 {}} with the id in {@code X-Argus-Event-Id}.
 */
public final class ClaudeHookHandler {
    public static final String EVENT_ID_HEADER = "X-Argus-Event-Id";
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> QUERY = Set.of("source", "task_id", "uuid");

    private final IngestEngine engine;
    private final TaskLookup tasks;
    private final ClaudeHookMapper mapper = new ClaudeHookMapper();
    private final LimitsConfig limits;
    private final ObjectMapper json;
    private final Timer timer;

    public ClaudeHookHandler(IngestEngine engine, TaskLookup tasks, LimitsConfig limits, ObjectMapper json,
                             MetricRegistry metrics) {
        this.engine = engine;
        this.tasks = tasks;
        this.limits = limits;
        this.json = json;
        this.timer = metrics.timer("argus.ingest.request-time.claude-hook");
    }

    public void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Timer.Context ignored = timer.time()) {
            serve(req, resp);
        }
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int max = limits.getMaxPayloadSizeKb() * 1024;
        String type = IngestHandler.mediaType(req);
        if (!"application/json".equals(type)) {
            IngestHandler.unsupported(json, req, resp, max, type, "application/json");
            return;
        }
        try {
            QueryParameters.checkNames(names(req), QUERY);
        } catch (QueryParameters.InvalidParameterException e) {
            RequestBodies.discard(req, resp, max);
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        }
        IngestHandler.Body body = IngestHandler.readBody(json, req, resp, max, false,
                "hook body exceeds limits.maxPayloadSizeKb = " + limits.getMaxPayloadSizeKb() + " KB");
        if (body == null) {
            return;
        }
        HookEvent hook;
        try {
            hook = mapper.map(body.bytes(), body.length(), req.getParameter("source"), req.getParameter("task_id"),
                    req.getParameter("uuid"));
        } catch (MalformedInputException e) {
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        } catch (HookValidationException e) {
            ErrorResponses.send(resp, json, 422, "invalid hook: " + e.getMessage(), e.errors());
            return;
        }
        if (hook.taskId() != null && !tasks.exists(hook.taskId())) {
            ErrorResponses.send(resp, json, 422, "invalid hook: task_id names no task",
                    List.of(new FieldError(null, "task_id", "names no task")));
            return;
        }
        IngestResult stored;
        try {
            stored = engine.write(List.of(toEvent(hook)));
        } catch (StorageException e) {
            ErrorResponses.send(resp, json, 503, e.getMessage());
            return;
        }
        resp.setHeader(EVENT_ID_HEADER, Long.toString(stored.ids()[0]));
        IngestHandler.writeJson(resp, 200, EMPTY_OBJECT);
    }

    private NewEvent toEvent(HookEvent h) {
        String tagsJson;
        try {
            tagsJson = h.tags().isEmpty() ? "[]" : json.writeValueAsString(h.tags());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return new NewEvent(h.source(), h.eventType(), h.level(), h.message(), Timestamps.nowMicros(), h.dataJson(),
                h.tags(), tagsJson, h.sessionId(), h.uuid(), AgentFields.of(h.hook(), h.toolName(), h.toolUseId(),
                h.agentId(), h.status(), h.isBackground(), h.taskId()));
    }

    private static Map<String, List<String>> names(HttpServletRequest req) {
        Map<String, List<String>> out = new HashMap<>();
        req.getParameterMap().forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }
}
