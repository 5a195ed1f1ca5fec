package dev.argus.service.core;

/** A page request of {@code GET /events}: filters, a time window, keyset bounds, limit and order. */
public record EventQuery(
        EventFilter filter,
        Long sinceMicros,
        Long untilMicros,
        Long afterId,
        Long beforeId,
        int limit,
        boolean ascending) {
}
