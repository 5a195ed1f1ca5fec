package dev.argus.service.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A JAX-RS error that carries the API's JSON error body. */
public final class ApiException extends WebApplicationException {
    public ApiException(int code, String message) {
        super(message, Response.status(code).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(code, message)).build());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
