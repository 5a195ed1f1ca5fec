package dev.argus.service.streams;

import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleFrameTest {
    private static final Session S = new Session("s1", "claude-code", "shop", "/w/shop", null, 1_000_000L, 2_000_000L,
            null, SessionStatus.ACTIVE, 3, 1, 0, 0);
    private static final LifecycleFrame F = new LifecycleFrame(
            new LifecycleMessage(LifecycleMessage.Type.SESSION_STARTED, S, null));

    @Test
    void onlySourceAndSessionFiltersDecide() {
        assertThat(F.admittedBy(EventFilter.ALL)).isTrue();
        assertThat(F.admittedBy(EventFilter.builder().add(EventFilter.Field.SESSION_ID, "s1")
                .add(EventFilter.Field.SESSION_ID, "s2").build())).isTrue();
        assertThat(F.admittedBy(EventFilter.builder().add(EventFilter.Field.SESSION_ID, "s2").build())).isFalse();
        assertThat(F.admittedBy(EventFilter.builder().add(EventFilter.Field.SOURCE, "claude-code").build())).isTrue();
        assertThat(F.admittedBy(EventFilter.builder().add(EventFilter.Field.SOURCE, "other").build())).isFalse();
        // filters about events (level, hook...) do not hold lifecycle messages back
        assertThat(F.admittedBy(EventFilter.builder().add(EventFilter.Field.LEVEL, Level.ERROR)
                .add(EventFilter.Field.HOOK, "Stop").build())).isTrue();
    }

    @Test
    void encodesForBothTransports() {
        assertThat(F.wsText()).startsWith("{\"type\":\"session_started\",\"payload\":{\"id\":\"s1\"");
        assertThat(F.sseText()).startsWith("event: session\ndata: {\"type\":\"session_started\"").endsWith("}\n\n")
                .doesNotContain("id: ");
    }
}
