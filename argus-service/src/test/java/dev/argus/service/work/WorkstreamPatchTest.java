package dev.argus.service.work;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkstreamPatchTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final long NOW = T0 + 1;
    private static final Workstream WS = new Workstream("0b7c7d3e-8f1a-4c2b-9d3e-4f5a6b7c8d9e", "Monitor MVP",
            WorkstreamStatus.ACTIVE, "{\"team\":\"core\"}", T0, T0);

    private static JsonNode json(String s) {
        return WorkJson.parseObject(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Workstream apply(String patch) {
        return WorkstreamPatch.apply(WS, json(patch), NOW);
    }

    @Test
    void absentOrNullIsUnchangedAndUpdatedAtMoves() {
        Workstream expected = new Workstream(WS.id(), "Monitor MVP", WorkstreamStatus.ACTIVE, "{\"team\":\"core\"}", T0, NOW);
        assertThat(apply("{}")).isEqualTo(expected);
        assertThat(apply("{\"name\":null,\"status\":null,\"metadata\":null}")).isEqualTo(expected);
    }

    @Test
    void changesNameStatusAndMetadata() {
        Workstream w = apply("{\"name\":\" Argus \",\"status\":\"archived\",\"metadata\":{\"x\":[1,2.50]}}");
        assertThat(w.name()).isEqualTo("Argus");
        assertThat(w.status()).isEqualTo(WorkstreamStatus.ARCHIVED);
        assertThat(w.metadataJson()).isEqualTo("{\"x\":[1,2.50]}");
        assertThat(w.createdAt()).isEqualTo(T0);
        assertThat(w.updatedAt()).isEqualTo(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\":\"done\"}", "{\"status\":true}", "{\"name\":\"\"}", "{\"metadata\":null,\"x\":1}",
            "{\"metadata\":5}", "{\"name\":[\"a\"]}"})
    void invalidPatchesAre422(String patch) {
        assertThatThrownBy(() -> apply(patch))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void nameOver200CharactersIs422() {
        assertThatThrownBy(() -> apply("{\"name\":\"" + "w".repeat(201) + "\"}"))
                .isInstanceOfSatisfying(WorkRequestException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }
}
