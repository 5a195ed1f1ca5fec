package dev.argus.service.resources;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.MalformedInputException;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.TaskLookup;
import dev.argus.service.core.Timestamps;
import dev.argus.service.github.GithubDelivery;
import dev.argus.service.github.GithubDeliveryMapper;
import dev.argus.service.github.GithubEvent;
import dev.argus.service.github.GithubPayloadException;
import dev.argus.service.github.GithubSignature;
import dev.argus.service.http.RequestBodies;
import dev.argus.service.ingest.IngestEngine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /hooks/github} (SPEC §14). GitHub cannot send a key, so the edge lets the request
 * through ({@code Access.HANDLER}) and this handler authenticates it by {@code X-Hub-Signature-256}
 * over the raw body before it looks at anything else; without a configured secret every delivery
 * is refused (fail closed). {@code ping} → 200 {@code {"status":"pong"}}; every other delivery is
 * one event with the delivery id as {@code uuid}, answered as {@code POST /events}.
 */
public final class GithubHookHandler {
    /** GitHub's largest delivery. */
    public static final int MAX_BODY_BYTES = 25 * 1024 * 1024;
    private static final byte[] PONG = "{\"status\":\"pong\"}".getBytes(StandardCharsets.US_ASCII);

    private final IngestEngine engine;
    private final EventParser parser;
    private final TaskLookup tasks;
    private final GithubSignature signature;
    private final GithubDeliveryMapper mapper;
    private final ObjectMapper json;
    private final Timer timer;

    public GithubHookHandler(IngestEngine engine, EventParser parser, TaskLookup tasks, GithubSignature signature,
                             GithubDeliveryMapper mapper, ObjectMapper json, MetricRegistry metrics) {
        this.engine = engine;
        this.parser = parser;
        this.tasks = tasks;
        this.signature = signature;
        this.mapper = mapper;
        this.json = json;
        this.timer = metrics.timer("argus.ingest.request-time.github");
    }

    public void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Timer.Context ignored = timer.time()) {
            serve(req, resp);
        }
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!signature.isConfigured()) {
            RequestBodies.discard(req, resp, MAX_BODY_BYTES);
            ErrorResponses.send(resp, json, 401, "no github.webhookSecret is configured: every delivery is refused");
            return;
        }
        String header = req.getHeader("X-Hub-Signature-256");
        if (header == null || header.isBlank()) {
            RequestBodies.discard(req, resp, MAX_BODY_BYTES);
            ErrorResponses.send(resp, json, 401, "missing X-Hub-Signature-256");
            return;
        }
        IngestHandler.Body body = IngestHandler.readBody(json, req, resp, MAX_BODY_BYTES, true,
                "delivery exceeds GitHub's 25 MB limit");
        if (body == null) {
            return;
        }
        if (!signature.verify(header, body.bytes(), 0, body.length())) {
            ErrorResponses.send(resp, json, 401, "X-Hub-Signature-256 does not match the body");
            return;
        }
        String type = IngestHandler.mediaType(req);
        if (!"application/json".equals(type)) {
            ErrorResponses.send(resp, json, 415, type == null
                    ? "missing Content-Type; set the webhook's content type to application/json"
                    : "unsupported Content-Type '" + type + "'; set the webhook's content type to application/json");
            return;
        }
        for (String name : req.getParameterMap().keySet()) {
            if (!name.equals("task_id")) {
                ErrorResponses.send(resp, json, 400, "unknown query parameter '" + name + "'; accepted: task_id");
                return;
            }
        }
        String[] taskParams = req.getParameterValues("task_id");
        String taskParam = taskParams == null || taskParams.length == 0 || taskParams[0].isBlank() ? null : taskParams[0].strip();
        GithubDelivery delivery;
        try {
            delivery = mapper.map(req.getHeader("X-GitHub-Event"), req.getHeader("X-GitHub-Delivery"),
                    body.bytes(), 0, body.length(), taskParam);
        } catch (GithubPayloadException e) {
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        }
        if (delivery instanceof GithubDelivery.Ping) {
            IngestHandler.writeJson(resp, 200, PONG);
            return;
        }
        byte[] event = ((GithubEvent) delivery).toEventJson().getBytes(StandardCharsets.UTF_8);
        EventParser.Result result;
        try {
            result = parser.parseSingle(event, event.length, Timestamps.nowMicros());
        } catch (MalformedInputException e) {
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        }
        if (result.valid()) {
            result = IngestHandler.checkTasks(result, false, tasks);
        }
        if (!result.valid()) {
            var first = result.errors().get(0);
            ErrorResponses.send(resp, json, 422, "invalid delivery: "
                    + (first.field() == null ? "" : first.field() + " ") + first.message(), result.errors());
            return;
        }
        IngestResult stored;
        try {
            stored = engine.write(List.of(result.events().get(0)));
        } catch (StorageException e) {
            ErrorResponses.send(resp, json, 503, e.getMessage());
            return;
        }
        boolean dup = stored.duplicate()[0];
        IngestHandler.writeJson(resp, dup ? 200 : 201, ("{\"status\":\"" + (dup ? "duplicate" : "captured")
                + "\",\"event_id\":" + stored.ids()[0] + '}').getBytes(StandardCharsets.US_ASCII));
    }
}
