package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * {@code PATCH /api/workstreams/{id} {name?, status?, metadata?}} (SPEC §13.2), with the task PATCH
 * rules: an absent or null member leaves the field unchanged, {@code metadata} replaces the whole
 * object, and {@code updated_at} always moves to now.
 */
public final class WorkstreamPatch {
    private static final Set<String> FIELDS = Set.of("name", "status", "metadata");

    private WorkstreamPatch() {
    }

    /**
     * The workstream after the patch; {@code current} is not changed.
     *
     * @throws WorkRequestException 422 for an unknown field, a wrong type, a name outside 1–200
     *                              characters, a status other than {@code active}/{@code archived},
     *                              or a non-object {@code metadata}; 422 too when the patch is not an object
     */
    public static Workstream apply(Workstream current, JsonNode patch, long nowMicros) {
        if (patch == null || !patch.isObject()) {
            throw WorkRequestException.invalid(null, "the body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) patch;
        WorkJson.onlyFields(body, FIELDS);
        String name = WorkJson.absent(body, "name") ? current.name() : WorkJson.name(body, "name");
        WorkstreamStatus status = current.status();
        if (!WorkJson.absent(body, "status")) {
            String s = WorkJson.string(body, "status");
            status = WorkstreamStatus.parse(s);
            if (status == null) {
                throw WorkRequestException.invalid("status", "'status' must be active or archived, not '" + s + "'");
            }
        }
        String metadata = WorkJson.absent(body, "metadata") ? current.metadataJson() : WorkJson.metadata(body, "metadata");
        return new Workstream(current.id(), name, status, metadata, current.createdAt(), nowMicros);
    }
}
