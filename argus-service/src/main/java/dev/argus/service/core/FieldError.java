package dev.argus.service.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One reason an event was refused; {@code index} is the 0-based position in a batch (null for a single event). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(Integer index, String field, String message) {
}
