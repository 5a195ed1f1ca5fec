package dev.argus.service.api;

import dev.argus.service.core.FieldError;

import java.util.List;

/** An error answer with the API's JSON body ({@link ApiError}); thrown by handlers, sent by {@link #send}. */
public final class ApiException extends RuntimeException {
    private final ApiError error;

    public ApiException(int code, String message) {
        this(new ApiError(code, message));
    }

    public ApiException(int code, String message, List<FieldError> errors) {
        this(new ApiError(code, message, errors));
    }

    private ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public ApiError error() {
        return error;
    }

    public int code() {
        return error.code();
    }
}
