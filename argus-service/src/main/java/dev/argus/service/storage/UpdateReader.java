package dev.argus.service.storage;

import dev.argus.service.core.StoredEvent;

import java.util.List;

/**
 * The read side of updates (SPEC §13.1, §13.2): events that carry a {@code task_id}, on the read
 * pool. Each list in {@link Query} is "any of" (empty = no constraint); lists AND together.
 */
public interface UpdateReader {
    /** What {@code GET /api/updates} and {@code /api/stream} filter on. */
    record Query(List<String> taskIds, List<String> sources, List<String> kinds, List<String> tags) {
        public Query {
            taskIds = List.copyOf(taskIds);
            sources = List.copyOf(sources);
            kinds = List.copyOf(kinds);
            tags = List.copyOf(tags);
        }

        public boolean isEmpty() {
            return taskIds.isEmpty() && sources.isEmpty() && kinds.isEmpty() && tags.isEmpty();
        }

        /** The same rule in memory, for live events. */
        public boolean matches(StoredEvent e) {
            String task = e.agent().taskId();
            if (task == null) {
                return false;
            }
            if (!taskIds.isEmpty() && !taskIds.contains(task)) {
                return false;
            }
            if (!sources.isEmpty() && !sources.contains(e.source())) {
                return false;
            }
            if (!kinds.isEmpty() && !kinds.contains(e.eventType())) {
                return false;
            }
            if (tags.isEmpty()) {
                return true;
            }
            List<String> own = e.tags() != null ? e.tags() : dev.argus.service.core.TagsJson.parse(e.tagsJson());
            for (String t : own) {
                if (tags.contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Matching updates with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<StoredEvent> find(Query q, long afterSeq, int limit);

    /** How many updates match {@code q} with {@code seq > afterSeq}. */
    long count(Query q, long afterSeq);
}
