package dev.argus.service.storage;

import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.StoredEvent;

import java.util.List;

/** Reads events and discovery lists on the read pool (never the writer's connection); thread-safe. */
public interface EventReader {
    /** A page of events; up to {@code fetch} rows (callers read one more than a page to tell whether another exists). */
    List<StoredEvent> find(EventQuery query, int fetch);

    /** Matching events with {@code id > afterId}, oldest first (stream replay). */
    default List<StoredEvent> findAfter(EventFilter filter, long afterId, int limit) {
        return find(new EventQuery(filter, afterId, null, limit, true), limit);
    }

    /** The event with this id, or null. */
    StoredEvent findById(long id);

    /** Every source that has events, sorted by code point. */
    List<String> sources();

    /** Every event type, optionally only those of the given sources, sorted. */
    List<String> eventTypes(List<String> sources);
}
