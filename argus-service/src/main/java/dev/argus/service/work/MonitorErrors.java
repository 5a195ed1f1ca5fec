package dev.argus.service.work;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes {@link MonitorError} bodies from servlet code: the error shape of every path under {@code /api}. */
public final class MonitorErrors {
    private MonitorErrors() {
    }

    /** Whether errors on this (canonical or raw) path carry Monitor's {@code error} kind. */
    public static boolean isApiPath(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    public static void send(HttpServletResponse resp, int code, String message) throws IOException {
        send(resp, MonitorError.of(code, message));
    }

    public static void send(HttpServletResponse resp, MonitorError error) throws IOException {
        byte[] body = WorkJson.MAPPER.writeValueAsBytes(error);
        resp.setStatus(error.code());
        resp.setContentType("application/json");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
