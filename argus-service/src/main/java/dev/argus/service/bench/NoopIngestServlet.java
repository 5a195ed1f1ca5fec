package dev.argus.service.bench;

import dev.argus.service.auth.ApiKeys;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Benchmark ceiling only (registered when {@code -Dargus.bench.noop=true}): checks the key and
 * reads the body like {@code POST /events}, then answers without parsing or storing anything.
 */
public final class NoopIngestServlet extends HttpServlet {
    private static final byte[] ANSWER = "{\"status\":\"captured\",\"event_id\":0}".getBytes(StandardCharsets.US_ASCII);
    private final ApiKeys keys;

    public NoopIngestServlet(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (keys.authenticate(req.getHeader("X-API-Key")) == null) {
            resp.sendError(401);
            return;
        }
        try (InputStream in = req.getInputStream()) {
            in.readAllBytes();
        }
        resp.setStatus(201);
        resp.setContentType("application/json");
        resp.setContentLength(ANSWER.length);
        resp.getOutputStream().write(ANSWER);
    }
}
