package dev.argus.service.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LogEveryTest {
    @Test
    void theFirstFailureIsLoggedAndRepeatsWithinTheIntervalAreNot() {
        LogEvery every = new LogEvery(Duration.ofHours(1));
        assertThat(every.due()).isTrue();
        assertThat(every.due()).isFalse();
        assertThat(every.due()).isFalse();
    }

    @Test
    void onceTheIntervalHasPassedTheNextOneIsLoggedAgain() throws InterruptedException {
        LogEvery every = new LogEvery(Duration.ofMillis(20));
        assertThat(every.due()).isTrue();
        Thread.sleep(40);
        assertThat(every.due()).isTrue();
        assertThat(every.due()).isFalse();
    }
}
