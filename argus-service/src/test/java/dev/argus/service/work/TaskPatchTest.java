package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskPatchTest {
    private static final String WS = "0b7c7d3e-8f1a-4c2b-9d3e-4f5a6b7c8d9e";
    private static final long T0 = 1_700_000_000_000_000L;
    private static final long NOW = T0 + 5_000_000;

    private static final Task TASK = new Task("5d9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", WS, "SSE replay", TaskStatus.ACTIVE,
            "old summary", T0, "agent", null, "{\"k\":1}", T0, T0);

    private static JsonNode json(String s) {
        return WorkJson.parseObject(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Task apply(String patch) {
        return TaskPatch.apply(TASK, json(patch), NOW);
    }

    @Test
    void emptyPatchChangesNothingButUpdatedAt() {
        Task t = apply("{}");
        assertThat(t).isEqualTo(new Task(TASK.id(), WS, TASK.name(), TaskStatus.ACTIVE, "old summary", T0, "agent", null,
                "{\"k\":1}", T0, NOW));
    }

    @Test
    void nullMembersMeanUnchanged() {
        Task t = apply("{\"name\":null,\"workstream_id\":null,\"status\":null,\"summary_text\":null,"
                + "\"summary_source\":null,\"hidden\":null,\"metadata\":null}");
        assertThat(t).isEqualTo(apply("{}"));
    }

    @Test
    void nameIsTrimmedAndReplaced() {
        assertThat(apply("{\"name\":\"  New name \"}").name()).isEqualTo("New name");
        assertThat(apply("{\"name\":\"" + "é".repeat(200) + "\"}").name()).hasSize(200);
    }

    @Test
    void everyStatusIsAccepted() {
        for (TaskStatus s : TaskStatus.values()) {
            assertThat(apply("{\"status\":\"" + s.json() + "\"}").status()).isEqualTo(s);
        }
    }

    @Test
    void summaryTextSetsTimeAndDefaultsSourceToManual() {
        Task t = apply("{\"summary_text\":\"Waiting on vendor\"}");
        assertThat(t.summaryText()).isEqualTo("Waiting on vendor");
        assertThat(t.summaryUpdatedAt()).isEqualTo(NOW);
        assertThat(t.summarySource()).isEqualTo("manual");
        Task given = apply("{\"summary_text\":\"x\",\"summary_source\":\"claude\"}");
        assertThat(given.summarySource()).isEqualTo("claude");
        assertThat(apply("{\"summary_text\":\"\"}").summaryText()).isEmpty();
    }

    @Test
    void summarySourceAloneChangesNothing() {
        Task t = apply("{\"summary_source\":\"claude\"}");
        assertThat(t.summarySource()).isEqualTo("agent");
        assertThat(t.summaryUpdatedAt()).isEqualTo(T0);
    }

    @Test
    void hiddenSetsAndClearsHiddenAt() {
        Task hidden = apply("{\"hidden\":true}");
        assertThat(hidden.hiddenAt()).isEqualTo(NOW);
        assertThat(hidden.hidden()).isTrue();
        Task again = TaskPatch.apply(hidden, json("{\"hidden\":true}"), NOW + 1);
        assertThat(again.hiddenAt()).as("hiding again keeps the first time").isEqualTo(NOW);
        Task shown = TaskPatch.apply(hidden, json("{\"hidden\":false}"), NOW + 2);
        assertThat(shown.hiddenAt()).isNull();
        assertThat(shown.updatedAt()).isEqualTo(NOW + 2);
    }

    @Test
    void metadataReplacesTheWholeObjectExactly() {
        Task t = apply("{\"metadata\":{\"b\":1.10,\"a\":12345678901234567890123,\"u\":\"é\"}}");
        assertThat(t.metadataJson()).isEqualTo("{\"b\":1.10,\"a\":12345678901234567890123,\"u\":\"é\"}");
        assertThat(apply("{\"metadata\":{}}").metadataJson()).isEqualTo("{}");
    }

    @Test
    void workstreamIdMovesTheTask() {
        String other = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE";
        assertThat(apply("{\"workstream_id\":\"" + other + "\"}").workstreamId()).isEqualTo(other.toLowerCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status\":\"finished\"}",
            "{\"status\":\"Active\"}",
            "{\"status\":1}",
            "{\"name\":\"\"}",
            "{\"name\":\"   \"}",
            "{\"name\":7}",
            "{\"metadata\":[1,2]}",
            "{\"metadata\":\"{}\"}",
            "{\"hidden\":\"true\"}",
            "{\"hidden\":1}",
            "{\"summary_text\":5}",
            "{\"summary_text\":\"x\",\"summary_source\":\"\"}",
            "{\"summary_text\":\"x\",\"summary_source\":false}",
            "{\"workstream_id\":\"not-a-uuid\"}",
            "{\"workstream_id\":42}",
            "{\"priority\":\"high\"}",
    })
    void invalidPatchesAre422AndChangeNothing(String patch) {
        assertThatThrownBy(() -> apply(patch)).isInstanceOfSatisfying(WorkRequestException.class, e -> {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.toError().error()).isEqualTo("invalid_input");
        });
        assertThat(TASK.updatedAt()).isEqualTo(T0);
    }

    @Test
    void tooLongNameNamesTheField() {
        assertThatThrownBy(() -> apply("{\"name\":\"" + "n".repeat(201) + "\"}"))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.getMessage()).contains("1-200");
                });
    }

    @Test
    void unknownFieldIsNamed() {
        assertThatThrownBy(() -> apply("{\"status\":\"done\",\"colour\":\"red\"}"))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.field()).isEqualTo("colour"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"name\":}", "nope", "{} {}"})
    void malformedBodiesAre400(String body) {
        assertThatThrownBy(() -> WorkJson.parseObject(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void nonObjectBodiesAre422() {
        assertThatThrownBy(() -> WorkJson.parseObject("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> TaskPatch.apply(TASK, WorkJson.MAPPER.getNodeFactory().textNode("x"), NOW))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(422));
    }
}
