package dev.argus.service.work;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/** The body of {@code POST /api/workstreams}: {@code {name, metadata?}} (SPEC §13.2). */
public record WorkstreamCreate(String name, String metadataJson) {
    private static final Set<String> FIELDS = Set.of("name", "metadata");

    /** @throws WorkRequestException 422 for a missing or bad {@code name}, a non-object {@code metadata} or an unknown field */
    public static WorkstreamCreate parse(ObjectNode body) {
        WorkJson.onlyFields(body, FIELDS);
        if (WorkJson.absent(body, "name")) {
            throw WorkRequestException.invalid("name", "'name' is required");
        }
        String name = WorkJson.name(body, "name");
        String metadata = WorkJson.absent(body, "metadata") ? "{}" : WorkJson.metadata(body, "metadata");
        return new WorkstreamCreate(name, metadata);
    }

    /** The new workstream: {@code active}, created and updated now. */
    public Workstream toWorkstream(String id, long nowMicros) {
        return new Workstream(id, name, WorkstreamStatus.ACTIVE, metadataJson, nowMicros, nowMicros);
    }
}
