package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Loss and duplicate checks shared by the fault drills, by the sample tool's MDC {@code seq}. */
final class Drills {
    private Drills() {
    }

    /** True when both frameworks' events carry every {@code seq} 1..n (duplicates still allowed). */
    static boolean allSeqsPresent(List<JsonNode> events, int n) {
        return Set.copyOf(Poll.seqs(Poll.byLogger(events, SampleTool.LOGBACK_LOGGER))).size() >= n
                && Set.copyOf(Poll.seqs(Poll.byLogger(events, SampleTool.LOG4J2_LOGGER))).size() >= n;
    }

    /** Each framework stored {@code seq} 1..n exactly once, and no uuid is stored twice. */
    static void assertEachSeqExactlyOnce(List<JsonNode> events, int n) {
        List<Integer> expected = IntStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
        for (String logger : List.of(SampleTool.LOGBACK_LOGGER, SampleTool.LOG4J2_LOGGER)) {
            assertThat(Poll.seqs(Poll.byLogger(events, logger))).as("seq of %s events", logger)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        List<String> uuids = events.stream().map(e -> e.get("uuid").asText()).collect(Collectors.toList());
        assertThat(uuids).as("uuids").doesNotHaveDuplicates();
    }
}
