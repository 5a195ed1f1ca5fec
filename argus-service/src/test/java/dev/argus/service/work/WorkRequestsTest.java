package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Creation bodies, manual updates, the JSON of workstreams, tasks and updates, and the error shape. */
class WorkRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WS = "0b7c7d3e-8f1a-4c2b-9d3e-4f5a6b7c8d9e";
    private static final String TASK = "5d9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final long T0 = 1_767_225_600_123_456L; // 2026-01-01T00:00:00.123456Z

    private static ObjectNode body(String s) {
        return WorkJson.parseObject(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void createsAWorkstream() throws Exception {
        Workstream w = WorkstreamCreate.parse(body("{\"name\":\"Monitor MVP\"}")).toWorkstream(WS, T0);
        assertThat(JSON.writeValueAsString(w)).isEqualTo("{\"id\":\"" + WS + "\",\"name\":\"Monitor MVP\",\"status\":\"active\","
                + "\"metadata\":{},\"created_at\":\"2026-01-01T00:00:00.123456Z\",\"updated_at\":\"2026-01-01T00:00:00.123456Z\"}");
        assertThat(WorkstreamCreate.parse(body("{\"name\":\"a\",\"metadata\":{\"n\":1.0}}")).metadataJson()).isEqualTo("{\"n\":1.0}");
        assertThat(WorkstreamCreate.parse(body("{\"name\":\"a\",\"metadata\":null}")).metadataJson()).isEqualTo("{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\":null}", "{\"name\":1}", "{\"name\":\"\"}", "{\"name\":\"a\",\"metadata\":[]}",
            "{\"name\":\"a\",\"status\":\"active\"}"})
    void badWorkstreamBodiesAre422(String s) {
        assertThatThrownBy(() -> WorkstreamCreate.parse(body(s)))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void createsATaskAndLeavesOutAbsentFields() throws Exception {
        Task t = TaskCreate.parse(body("{\"workstream_id\":\"" + WS + "\",\"name\":\"SSE replay\",\"metadata\":{\"p\":1}}"))
                .toTask(TASK, T0);
        assertThat(JSON.writeValueAsString(t)).isEqualTo("{\"id\":\"" + TASK + "\",\"workstream_id\":\"" + WS
                + "\",\"name\":\"SSE replay\",\"status\":\"active\",\"metadata\":{\"p\":1},"
                + "\"created_at\":\"2026-01-01T00:00:00.123456Z\",\"updated_at\":\"2026-01-01T00:00:00.123456Z\"}");
        Task patched = TaskPatch.apply(t, body("{\"summary_text\":\"s\",\"hidden\":true}"), T0 + 1);
        JsonNode out = JSON.readTree(JSON.writeValueAsString(patched));
        assertThat(out.path("summary_text").asText()).isEqualTo("s");
        assertThat(out.path("summary_updated_at").asText()).isEqualTo("2026-01-01T00:00:00.123457Z");
        assertThat(out.path("summary_source").asText()).isEqualTo("manual");
        assertThat(out.path("hidden_at").asText()).isEqualTo("2026-01-01T00:00:00.123457Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"a\"}", "{\"workstream_id\":\"x\",\"name\":\"a\"}",
            "{\"workstream_id\":\"" + WS + "\"}", "{\"workstream_id\":\"" + WS + "\",\"name\":\"a\",\"status\":\"done\"}"})
    void badTaskBodiesAre422(String s) {
        assertThatThrownBy(() -> TaskCreate.parse(body(s)))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void manualUpdateBecomesAnEventWithKindUpdateByDefault() throws Exception {
        ManualUpdate u = ManualUpdate.parse(body("{\"task_id\":\"" + TASK + "\",\"message\":\"Implemented SSE\"}"));
        assertThat(JSON.readTree(u.toEventJson())).isEqualTo(JSON.readTree("{\"source\":\"manual\",\"event_type\":\"update\","
                + "\"message\":\"Implemented SSE\",\"tags\":[],\"task_id\":\"" + TASK + "\"}"));
        ManualUpdate full = ManualUpdate.parse(body("{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"level\":\"WARNING\","
                + "\"kind\":\"manual_note\",\"tags\":[\"backend\",\"sse\"],\"data\":{\"n\":1.50}}"));
        assertThat(full.toEventJson()).isEqualTo("{\"source\":\"manual\",\"event_type\":\"manual_note\",\"message\":\"m\","
                + "\"level\":\"warn\",\"tags\":[\"backend\",\"sse\"],\"data\":{\"n\":1.50},\"task_id\":\"" + TASK + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"message\":\"m\"}", "{\"task_id\":\"" + TASK + "\"}", "{\"task_id\":7,\"message\":\"m\"}",
            "{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"level\":\"loud\"}",
            "{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"kind\":\"\"}",
            "{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"tags\":\"a,b\"}",
            "{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"tags\":[1]}",
            "{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"data\":[1]}",
            "{\"task_id\":\"" + TASK + "\",\"message\":\"m\",\"source\":\"x\"}"})
    void badManualUpdatesAre422(String s) {
        assertThatThrownBy(() -> ManualUpdate.parse(body(s)))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void updateViewOfAStoredEvent() throws Exception {
        StoredEvent e = new StoredEvent(42, "manual", "manual_note", Level.INFO, "Progress", T0, T0 + 5, "{\"n\":1}",
                "[\"a\",\"b\"]", null, "11111111-2222-4333-8444-555555555555", List.of("a", "b"));
        assertThat(JSON.writeValueAsString(UpdateView.of(e, TASK))).isEqualTo("{\"seq\":42,"
                + "\"id\":\"11111111-2222-4333-8444-555555555555\",\"task_id\":\"" + TASK + "\",\"source\":\"manual\","
                + "\"timestamp\":\"2026-01-01T00:00:00.123456Z\",\"message\":\"Progress\",\"kind\":\"manual_note\","
                + "\"level\":\"info\",\"tags\":[\"a\",\"b\"],\"data\":{\"n\":1}}");
        StoredEvent bare = new StoredEvent(43, "ci", "update", null, null, T0, T0, null, null, null, "u", null);
        assertThat(JSON.writeValueAsString(UpdateView.of(bare, TASK))).isEqualTo("{\"seq\":43,\"id\":\"u\",\"task_id\":\""
                + TASK + "\",\"source\":\"ci\",\"timestamp\":\"2026-01-01T00:00:00.123456Z\",\"message\":\"\","
                + "\"kind\":\"update\",\"tags\":[]}");
    }

    @Test
    void errorsCarryMonitorsKind() throws Exception {
        assertThat(JSON.writeValueAsString(MonitorError.of(404, "no task x")))
                .isEqualTo("{\"code\":404,\"error\":\"not_found\",\"message\":\"no task x\"}");
        assertThat(MonitorError.kind(400)).isEqualTo("invalid_input");
        assertThat(MonitorError.kind(422)).isEqualTo("invalid_input");
        assertThat(MonitorError.kind(401)).isEqualTo("unauthorized");
        assertThat(MonitorError.kind(403)).isEqualTo("forbidden");
        assertThat(MonitorError.kind(413)).isEqualTo("payload_too_large");
        assertThat(MonitorError.kind(415)).isEqualTo("unsupported_media_type");
        assertThat(MonitorError.kind(500)).isEqualTo("internal_error");
        assertThat(MonitorError.kind(503)).isEqualTo("service_unavailable");
    }

    @Test
    void idsAreUuids() {
        assertThat(WorkJson.isUuid(WS)).isTrue();
        assertThat(WorkJson.isUuid("0b7c7d3e-8f1a-4c2b-9d3e-4f5a6b7c8d9")).isFalse();
        assertThat(WorkJson.isUuid("1-1-1-1-1")).isFalse();
        assertThat(WorkJson.isUuid(null)).isFalse();
    }
}
