package dev.argus.service.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Serves a request that the edge has matched to a route and authenticated. */
@FunctionalInterface
public interface Handler {
    /**
     * Marks a route that the container's own mapping serves (the SSE and OTLP servlets, the
     * WebSocket upgrade): the edge passes the request on instead of calling a handler.
     */
    Handler CONTAINER = (req, resp) -> {
        throw new IllegalStateException("the container serves this route");
    };

    void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException;
}
