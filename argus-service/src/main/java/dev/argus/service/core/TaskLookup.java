package dev.argus.service.core;

/** Whether a {@code task_id} names a task (SPEC §12.1, §13): one that names none is refused with 422. */
@FunctionalInterface
public interface TaskLookup {
    boolean exists(String taskId);
}
