package dev.argus.service.resources;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.config.LimitsConfig;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.FieldError;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.MalformedInputException;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.TaskLookup;
import dev.argus.service.core.Timestamps;
import dev.argus.service.http.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hot path, {@code POST /events} and {@code POST /events/batch}, served by the edge (its routes
 * name {@link #single} and {@link #batch}): it reads the body once, validates it
 * in one streaming pass, hands it to the group-commit writer and answers after the commit.
 */
public final class IngestHandler {
    private static final byte[] CAPTURED_PREFIX = "{\"status\":\"captured\",\"event_id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DUPLICATE_PREFIX = "{\"status\":\"duplicate\",\"event_id\":".getBytes(StandardCharsets.US_ASCII);

    private final IngestEngine engine;
    private final EventParser parser;
    private final TaskLookup tasks;
    private final LimitsConfig limits;
    private final ObjectMapper json;
    private final Timer singleTimer;
    private final Timer batchTimer;

    public IngestHandler(IngestEngine engine, EventParser parser, TaskLookup tasks, LimitsConfig limits,
                         ObjectMapper json, MetricRegistry metrics) {
        this.engine = engine;
        this.parser = parser;
        this.tasks = tasks;
        this.limits = limits;
        this.json = json;
        this.singleTimer = metrics.timer("argus.ingest.request-time.single");
        this.batchTimer = metrics.timer("argus.ingest.request-time.batch");
    }

    /** {@code POST /events}. */
    public void single(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Timer.Context ignored = singleTimer.time()) {
            handleSingle(req, resp);
        }
    }

    /** {@code POST /events/batch}. */
    public void batch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Timer.Context ignored = batchTimer.time()) {
            handleBatch(req, resp);
        }
    }

    private void handleSingle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String type = mediaType(req);
        int max = limits.getMaxPayloadSizeKb() * 1024;
        if (!"application/json".equals(type)) {
            unsupported(json, req, resp, max, type, "application/json");
            return;
        }
        Body body = readBody(json, req, resp, max, false, "event body exceeds limits.maxPayloadSizeKb = "
                + limits.getMaxPayloadSizeKb() + " KB");
        if (body == null) {
            return;
        }
        EventParser.Result result;
        try {
            result = parser.parseSingle(body.bytes, body.length, Timestamps.nowMicros());
        } catch (MalformedInputException e) {
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        }
        IngestResult stored = store(result, false, resp);
        if (stored == null) {
            return;
        }
        boolean dup = stored.duplicate()[0];
        byte[] prefix = dup ? DUPLICATE_PREFIX : CAPTURED_PREFIX;
        byte[] id = Long.toString(stored.ids()[0]).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + id.length + 1);
        System.arraycopy(id, 0, out, prefix.length, id.length);
        out[out.length - 1] = '}';
        writeJson(resp, dup ? 200 : 201, out);
    }

    private void handleBatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String type = mediaType(req);
        boolean ndjson = "application/x-ndjson".equals(type) || "application/ndjson".equals(type);
        int max = limits.getMaxBatchSizeKb() * 1024;
        if (!ndjson && !"application/json".equals(type)) {
            unsupported(json, req, resp, max, type, "application/json or application/x-ndjson");
            return;
        }
        // An NDJSON body without a line is an empty batch (422, SPEC §3); an empty JSON body is malformed (400).
        Body body = readBody(json, req, resp, max, ndjson, "batch body exceeds limits.maxBatchSizeKb = "
                + limits.getMaxBatchSizeKb() + " KB");
        if (body == null) {
            return;
        }
        EventParser.Result result;
        try {
            long now = Timestamps.nowMicros();
            result = ndjson
                    ? parser.parseNdjson(body.bytes, body.length, limits.getMaxBatchEvents(), now)
                    : parser.parseArray(body.bytes, body.length, limits.getMaxBatchEvents(), now);
        } catch (MalformedInputException e) {
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        } catch (EventParser.TooManyEventsException e) {
            ErrorResponses.send(resp, json, 413, "batch holds more than limits.maxBatchEvents = "
                    + limits.getMaxBatchEvents() + " events");
            return;
        }
        IngestResult stored = store(result, true, resp);
        if (stored == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(32 + stored.ids().length * 10);
        sb.append("{\"status\":\"captured\",\"event_ids\":[");
        long[] ids = stored.ids();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i]);
        }
        sb.append("]}");
        writeJson(resp, 201, sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Stores a parsed request; answers 422 (invalid) or 503 (storage) itself and then returns null. */
    private IngestResult store(EventParser.Result result, boolean batch, HttpServletResponse resp) throws IOException {
        if (result.valid()) {
            result = checkTasks(result, batch, tasks);
        }
        if (!result.valid()) {
            ErrorResponses.send(resp, json, 422, summarize(result), result.errors());
            return null;
        }
        try {
            return engine.write(result.events());
        } catch (StorageException e) {
            ErrorResponses.send(resp, json, 503, e.getMessage());
            return null;
        }
    }

    /** The result with a 422 error for each event whose {@code task_id} names no task (SPEC §12.1). */
    static EventParser.Result checkTasks(EventParser.Result result, boolean batch, TaskLookup tasks) {
        List<FieldError> errors = null;
        List<NewEvent> events = result.events();
        for (int i = 0; i < events.size(); i++) {
            String taskId = events.get(i).agent().taskId();
            if (taskId != null && !tasks.exists(taskId)) {
                if (errors == null) {
                    errors = new ArrayList<>();
                }
                errors.add(new FieldError(batch ? i : null, "task_id",
                        "names no task"));
            }
        }
        return errors == null ? result : new EventParser.Result(List.of(), errors);
    }

    private static String summarize(EventParser.Result result) {
        var first = result.errors().get(0);
        String where = first.index() == null ? "" : "event at index " + first.index() + ": ";
        String what = first.field() == null ? first.message() : first.field() + " " + first.message();
        if (first.message().startsWith("unknown field")) {
            what = first.message();
        }
        int more = result.errors().size() - 1;
        return "invalid event: " + where + what + (more > 0 ? " (and " + more + " more)" : "");
    }

    static void unsupported(ObjectMapper json, HttpServletRequest req, HttpServletResponse resp, int max, String type, String expected)
            throws IOException {
        RequestBodies.discard(req, resp, max);
        ErrorResponses.send(resp, json, 415, type == null
                ? "missing Content-Type; expected " + expected
                : "unsupported Content-Type '" + type + "'; expected " + expected);
    }

    static String mediaType(HttpServletRequest req) {
        String ct = req.getContentType();
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(Locale.ROOT);
    }

    record Body(byte[] bytes, int length) {
    }

    /** Reads at most {@code max} bytes; answers 413 (and returns null) beyond, 400 when empty unless {@code emptyOk}. */
    static Body readBody(ObjectMapper json, HttpServletRequest req, HttpServletResponse resp, int max, boolean emptyOk, String tooLarge)
            throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > max) {
            resp.setHeader("Connection", "close");
            ErrorResponses.send(resp, json, 413, tooLarge);
            return null;
        }
        byte[] buf = new byte[declared >= 0 ? (int) declared : Math.min(max, 8192)];
        int length = 0;
        try (InputStream in = req.getInputStream()) {
            while (true) {
                if (length == buf.length) {
                    if (length >= max) {
                        if (in.read() < 0) {
                            break;
                        }
                        resp.setHeader("Connection", "close");
                        ErrorResponses.send(resp, json, 413, tooLarge);
                        return null;
                    }
                    buf = Arrays.copyOf(buf, Math.min(max, Math.max(buf.length * 2, 1024)));
                }
                int n = in.read(buf, length, buf.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        }
        if (length == 0 && !emptyOk) {
            ErrorResponses.send(resp, json, 400, "request body is empty");
            return null;
        }
        return new Body(buf, length);
    }

    static void writeJson(HttpServletResponse resp, int status, byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
