package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * {@code PATCH /api/tasks/{id} {name?, workstream_id?, status?, summary_text?, summary_source?,
 * hidden?, metadata?}} (SPEC §13.2), as Monitor applies it:
 * <ul>
 *   <li>an absent or null member leaves its field unchanged;</li>
 *   <li>{@code summary_text} sets the summary, {@code summary_updated_at} = now and
 *       {@code summary_source} = the given one, else {@code manual}; {@code summary_source} without
 *       {@code summary_text} changes nothing (as in Monitor);</li>
 *   <li>{@code hidden: true} sets {@code hidden_at} (a task already hidden keeps its first
 *       {@code hidden_at}), {@code hidden: false} clears it;</li>
 *   <li>{@code metadata} replaces the whole object;</li>
 *   <li>{@code updated_at} always moves to now, even for an empty patch.</li>
 * </ul>
 * The caller answers 404 when a changed {@code workstream_id} names no workstream.
 */
public final class TaskPatch {
    private static final Set<String> FIELDS = Set.of("name", "workstream_id", "status", "summary_text",
            "summary_source", "hidden", "metadata");
    private static final int MAX_SOURCE = 128;

    private TaskPatch() {
    }

    /**
     * The task after the patch; {@code current} is not changed.
     *
     * @throws WorkRequestException 422 for an unknown field, a wrong type, a name outside 1–200
     *                              characters, an unknown status, a non-UUID {@code workstream_id},
     *                              an empty or over-long {@code summary_source}, a non-boolean
     *                              {@code hidden} or a non-object {@code metadata}
     */
    public static Task apply(Task current, JsonNode patch, long nowMicros) {
        if (patch == null || !patch.isObject()) {
            throw WorkRequestException.invalid(null, "the body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) patch;
        WorkJson.onlyFields(body, FIELDS);
        String name = WorkJson.absent(body, "name") ? current.name() : WorkJson.name(body, "name");
        String workstream = WorkJson.absent(body, "workstream_id") ? current.workstreamId()
                : WorkJson.uuid(body, "workstream_id");
        TaskStatus status = current.status();
        if (!WorkJson.absent(body, "status")) {
            String s = WorkJson.string(body, "status");
            status = TaskStatus.parse(s);
            if (status == null) {
                throw WorkRequestException.invalid("status",
                        "'status' must be active, blocked, done or cancelled, not '" + s + "'");
            }
        }
        String source = null;
        if (!WorkJson.absent(body, "summary_source")) {
            source = WorkJson.string(body, "summary_source").strip();
            int length = source.codePointCount(0, source.length());
            if (length < 1 || length > MAX_SOURCE) {
                throw WorkRequestException.invalid("summary_source", "'summary_source' must be 1-" + MAX_SOURCE + " characters");
            }
        }
        String summaryText = current.summaryText();
        Long summaryAt = current.summaryUpdatedAt();
        String summarySource = current.summarySource();
        if (!WorkJson.absent(body, "summary_text")) {
            summaryText = WorkJson.string(body, "summary_text");
            summaryAt = nowMicros;
            summarySource = source != null ? source : "manual";
        }
        Long hiddenAt = current.hiddenAt();
        if (!WorkJson.absent(body, "hidden")) {
            JsonNode hidden = body.get("hidden");
            if (!hidden.isBoolean()) {
                throw WorkRequestException.invalid("hidden", "'hidden' must be true or false");
            }
            hiddenAt = hidden.booleanValue() ? (hiddenAt != null ? hiddenAt : Long.valueOf(nowMicros)) : null;
        }
        String metadata = WorkJson.absent(body, "metadata") ? current.metadataJson() : WorkJson.metadata(body, "metadata");
        return new Task(current.id(), workstream, name, status, summaryText, summaryAt, summarySource, hiddenAt,
                metadata, current.createdAt(), nowMicros);
    }
}
