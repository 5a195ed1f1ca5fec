package dev.argus.service.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.core.FieldError;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the one error shape of the API, {@code {"code":N,"message":"...","errors":[...]}}, from servlet code. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static void send(HttpServletResponse resp, ObjectMapper json, int code, String message) throws IOException {
        send(resp, json, new ApiError(code, message, null));
    }

    public static void send(HttpServletResponse resp, ObjectMapper json, int code, String message,
                            List<FieldError> errors) throws IOException {
        send(resp, json, new ApiError(code, message, errors));
    }

    public static void send(HttpServletResponse resp, ObjectMapper json, ApiError error) throws IOException {
        byte[] body = json.writeValueAsBytes(error);
        resp.setStatus(error.code());
        resp.setContentType("application/json");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
