package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.core.StorageException;

import java.util.List;
import java.util.Optional;

/**
 * Workstreams and tasks (SPEC §13.1). Every change is committed by the single writer before the
 * method returns, so a change answered 2xx is as durable as an event; lists are oldest first.
 * Refusals (unknown id, invalid patch) are thrown as {@link WorkRequestException} with nothing written.
 */
public interface WorkStore {
    Workstream createWorkstream(WorkstreamCreate create) throws StorageException;

    Workstream patchWorkstream(String id, JsonNode patch) throws StorageException;

    Task createTask(TaskCreate create) throws StorageException;

    Task patchTask(String id, JsonNode patch) throws StorageException;

    List<Workstream> listWorkstreams(boolean includeArchived);

    List<Task> listTasks(String workstreamId, TaskStatus status, boolean includeHidden);

    Optional<Workstream> workstream(String id);

    Optional<Task> task(String id);
}
