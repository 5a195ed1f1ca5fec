package dev.argus.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.argus.service.core.FieldError;

import java.util.List;

/** The error body of every failed request; {@code errors} names fields (and batch indexes) when validation failed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int code, String message, List<FieldError> errors) {
    public ApiError(int code, String message) {
        this(code, message, null);
    }
}
