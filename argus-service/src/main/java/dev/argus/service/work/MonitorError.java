package dev.argus.service.work;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The error body under {@code /api} (SPEC §13.2): Argus's {@code code} and {@code message} with
 * Monitor's {@code error} kind beside them, e.g. {@code {"code":404,"error":"not_found","message":"..."}}.
 *
 * <p>Kinds: Monitor's own server answers {@code not_found} (404), {@code invalid_input} (400, its
 * validation errors), {@code unauthorized} (401), {@code internal_error} (500) and
 * {@code server_misconfigured} (500, strict mode without tokens). The other codes Argus can answer
 * get the snake_case of their HTTP reason; 422 (a schema violation, which Monitor's framework
 * answers without a JSON body) is {@code invalid_input} as well, since to a Monitor client it is
 * the same mistake.
 */
@JsonPropertyOrder({"code", "error", "message"})
public record MonitorError(int code, String error, String message) {

    public static MonitorError of(int code, String message) {
        return new MonitorError(code, kind(code), message);
    }

    /** Monitor's {@code error} kind for an HTTP status. */
    public static String kind(int code) {
        return switch (code) {
            case 400, 422 -> "invalid_input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 503 -> "service_unavailable";
            default -> code >= 500 ? "internal_error" : "invalid_input";
        };
    }
}
