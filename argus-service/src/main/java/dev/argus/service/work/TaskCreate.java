package dev.argus.service.work;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * The body of {@code POST /api/tasks}: {@code {workstream_id, name, metadata?}} (SPEC §13.2). The
 * caller answers 404 when {@code workstreamId} names no workstream.
 */
public record TaskCreate(String workstreamId, String name, String metadataJson) {
    private static final Set<String> FIELDS = Set.of("workstream_id", "name", "metadata");

    /** @throws WorkRequestException 422 for a missing or non-UUID {@code workstream_id}, a bad {@code name}, a non-object {@code metadata} or an unknown field */
    public static TaskCreate parse(ObjectNode body) {
        WorkJson.onlyFields(body, FIELDS);
        if (WorkJson.absent(body, "workstream_id")) {
            throw WorkRequestException.invalid("workstream_id", "'workstream_id' is required");
        }
        String workstream = WorkJson.uuid(body, "workstream_id");
        if (WorkJson.absent(body, "name")) {
            throw WorkRequestException.invalid("name", "'name' is required");
        }
        String name = WorkJson.name(body, "name");
        String metadata = WorkJson.absent(body, "metadata") ? "{}" : WorkJson.metadata(body, "metadata");
        return new TaskCreate(workstream, name, metadata);
    }

    /** The new task: {@code active}, no summary, not hidden, created and updated now. */
    public Task toTask(String id, long nowMicros) {
        return new Task(id, workstreamId, name, TaskStatus.ACTIVE, null, null, null, null, metadataJson,
                nowMicros, nowMicros);
    }
}
