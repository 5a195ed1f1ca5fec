package dev.argus.service.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.core.StorageException;
import dev.argus.service.http.EdgeFilter;
import dev.argus.service.http.RequestBodies;
import dev.argus.service.work.MonitorErrors;
import dev.argus.service.work.TaskCreate;
import dev.argus.service.work.TaskStatus;
import dev.argus.service.work.WorkJson;
import dev.argus.service.work.WorkRequestException;
import dev.argus.service.work.WorkStore;
import dev.argus.service.work.WorkstreamCreate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workstream and task routes of the Monitor API (SPEC §13.2), served by the edge (the route
 * table names each method): {@code POST|GET /api/workstreams}, {@code PATCH /api/workstreams/{id}},
 * {@code POST|GET /api/tasks}, {@code PATCH /api/tasks/{id}}. Bodies are JSON objects
 * ({@code Content-Type: application/json}); unknown query parameters are refused with 400; every
 * error is Monitor-shaped ({@code {"code","error","message"}}) and changes nothing.
 */
public final class WorkHandler {
    private static final Set<String> NO_PARAMETERS = Set.of();
    private static final Set<String> WORKSTREAM_LIST = Set.of("include_archived");
    private static final Set<String> TASK_LIST = Set.of("workstream_id", "status", "include_hidden");

    private final WorkStore store;
    private final int maxBodyBytes;
    private final dev.argus.service.work.WorkEvents events;

    /** @param maxBodyBytes largest request body accepted (413 beyond) */
    public WorkHandler(WorkStore store, int maxBodyBytes) {
        this(store, maxBodyBytes, dev.argus.service.work.WorkEvents.NONE);
    }

    /** @param events told of every committed change (for {@code /api/stream}) */
    public WorkHandler(WorkStore store, int maxBodyBytes, dev.argus.service.work.WorkEvents events) {
        this.store = store;
        this.maxBodyBytes = maxBodyBytes;
        this.events = events;
    }

    /** {@code POST /api/workstreams {name, metadata?}} → 201. */
    public void createWorkstream(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            query(req, NO_PARAMETERS);
            WorkstreamCreate create = WorkstreamCreate.parse(ApiBodies.jsonObject(req, maxBodyBytes));
            changed(resp, 201, "workstream_created", null, WorkJson.MAPPER.writeValueAsBytes(store.createWorkstream(create)));
        });
    }

    /** {@code GET /api/workstreams[?include_archived=true]} → {@code {items, total}}. */
    public void listWorkstreams(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            Map<String, String> q = query(req, WORKSTREAM_LIST);
            writeList(resp, store.listWorkstreams(bool(q, "include_archived")));
        });
    }

    /** {@code PATCH /api/workstreams/{id}} → 200, 404. */
    public void patchWorkstream(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            query(req, NO_PARAMETERS);
            ObjectNode patch = ApiBodies.jsonObject(req, maxBodyBytes);
            changed(resp, 200, "workstream_updated", null, WorkJson.MAPPER.writeValueAsBytes(store.patchWorkstream(lastSegment(req), patch)));
        });
    }

    /** {@code POST /api/tasks {workstream_id, name, metadata?}} → 201, 404 for an unknown workstream. */
    public void createTask(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            query(req, NO_PARAMETERS);
            TaskCreate create = TaskCreate.parse(ApiBodies.jsonObject(req, maxBodyBytes));
            changed(resp, 201, "task_created", "", WorkJson.MAPPER.writeValueAsBytes(store.createTask(create)));
        });
    }

    /** {@code GET /api/tasks[?workstream_id=&status=&include_hidden=true]} → {@code {items, total}}. */
    public void listTasks(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            Map<String, String> q = query(req, TASK_LIST);
            String workstream = q.get("workstream_id");
            if (workstream != null && !WorkJson.isUuid(workstream)) {
                throw badRequest("'workstream_id' must be a UUID");
            }
            TaskStatus status = null;
            if (q.containsKey("status")) {
                status = TaskStatus.parse(q.get("status"));
                if (status == null) {
                    throw badRequest("'status' must be active, blocked, done or cancelled, not '" + q.get("status") + "'");
                }
            }
            writeList(resp, store.listTasks(workstream, status, bool(q, "include_hidden")));
        });
    }

    /** {@code PATCH /api/tasks/{id}} → 200, 404. */
    public void patchTask(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, () -> {
            query(req, NO_PARAMETERS);
            ObjectNode patch = ApiBodies.jsonObject(req, maxBodyBytes);
            changed(resp, 200, "task_updated", "", WorkJson.MAPPER.writeValueAsBytes(store.patchTask(lastSegment(req), patch)));
        });
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException, StorageException;
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

    private static WorkRequestException badRequest(String message) {
        return new WorkRequestException(400, null, message);
    }

    /** The query's parameters; 400 for a name not in {@code allowed}, a repeated name or a bad encoding. */
    static Map<String, String> query(HttpServletRequest req, Set<String> allowed) {
        String raw = req.getQueryString();
        Map<String, String> params = new HashMap<>();
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
                throw badRequest(allowed.isEmpty() ? "unknown query parameter '" + name + "'; none is accepted"
                        : "unknown query parameter '" + name + "'; accepted: " + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (params.put(name, value) != null) {
                throw badRequest("query parameter '" + name + "' given more than once");
            }
        }
        return params;
    }

    private static boolean bool(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw badRequest("'" + name + "' must be true or false, not '" + v + "'");
        };
    }


    /** The {@code {id}} of a route {@code /api/<things>/{id}}: the last segment of the canonical path. */
    private static String lastSegment(HttpServletRequest req) {
        String path = (String) req.getAttribute(EdgeFilter.PATH_ATTRIBUTE);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void writeList(HttpServletResponse resp, List<?> items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = WorkJson.MAPPER.getFactory().createGenerator(out)) {
            g.setCodec(WorkJson.MAPPER);
            g.writeStartObject();
            g.writeFieldName("items");
            g.writeStartArray();
            for (Object item : items) {
                g.writeObject(item);
            }
            g.writeEndArray();
            g.writeNumberField("total", items.size());
            g.writeEndObject();
        }
        writeJson(resp, 200, out.toByteArray());
    }

    /**
     * Answers with the committed object and announces it to {@code /api/stream}; {@code task} is
     * non-null for a task event (its id is read from the object).
     */
    private void changed(HttpServletResponse resp, int status, String type, String task, byte[] body) throws IOException {
        writeJson(resp, status, body);
        String text = new String(body, StandardCharsets.UTF_8);
        events.published(type, task == null ? null : WorkJson.read(text).path("id").asText(), text);
    }

    private static void writeJson(HttpServletResponse resp, int status, byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
