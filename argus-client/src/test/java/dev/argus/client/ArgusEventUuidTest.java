package dev.argus.client;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ArgusEventUuidTest {
    @Test
    void defaultUuidsAreVersion7UniqueAndGrowWithTime() throws Exception {
        Set<String> seen = new HashSet<>();
        String previous = null;
        for (int i = 0; i < 10_000; i++) {
            String u = ArgusEvent.builder("t").build().uuid();
            UUID parsed = UUID.fromString(u);
            assertThat(parsed.version()).isEqualTo(7);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(seen.add(u)).as("unique").isTrue();
            if (i == 0) {
                previous = u;
            }
        }
        Thread.sleep(5);
        String later = ArgusEvent.builder("t").build().uuid();
        assertThat(later.substring(0, 13)).isGreaterThan(previous.substring(0, 13));
        assertThat(ArgusEvent.builder("t").uuid("mine").build().uuid()).isEqualTo("mine");
    }
}
