package dev.argus.service.work;

/**
 * Where the work routes announce a committed change (SPEC §13.2, {@code /api/stream}):
 * {@code task_created}, {@code task_updated}, {@code workstream_created}, {@code workstream_updated}
 * with the object's JSON. Called after the change is committed; must not block.
 */
@FunctionalInterface
public interface WorkEvents {
    WorkEvents NONE = (type, taskId, json) -> { };

    /** @param taskId the task's id for task events, null for workstream events */
    void published(String type, String taskId, String json);
}
