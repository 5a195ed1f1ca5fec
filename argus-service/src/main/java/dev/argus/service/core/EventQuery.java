package dev.argus.service.core;

/** A page request of {@code GET /events}: the filter (time window included), keyset bounds, limit and order. */
public record EventQuery(
        EventFilter filter,
        Long afterId,
        Long beforeId,
        int limit,
        boolean ascending) {
}
