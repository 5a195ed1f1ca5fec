package dev.argus.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.argus.service.core.StoredEvent;

import java.util.List;

/**
 * One page of {@code GET /events}. {@code next_before_id} pages further back in descending order;
 * in ascending order {@code next_after_id} pages forward (and {@code next_before_id} is null).
 */
public record EventPage(
        @JsonProperty("events") List<StoredEvent> events,
        @JsonProperty("next_before_id") @JsonInclude(JsonInclude.Include.ALWAYS) Long nextBeforeId,
        @JsonProperty("next_after_id") @JsonInclude(JsonInclude.Include.NON_NULL) Long nextAfterId) {
}
