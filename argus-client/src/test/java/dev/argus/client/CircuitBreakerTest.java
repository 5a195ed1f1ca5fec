package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final RecordingDiagnostics diagnostics = new RecordingDiagnostics();
  private final List<String> warnings = diagnostics.warnings;
  private final List<String> infos = diagnostics.infos;

  @Test
  void staysClosedBelowTheThresholdAndASuccessResetsTheCount() {
    CircuitBreaker b = new CircuitBreaker(3, 60_000_000_000L, diagnostics);
    b.failure("x");
    b.failure("x");
    b.success();
    b.failure("x");
    b.failure("x");
    assertThat(b.isOpen()).isFalse();
    assertThat(b.allow()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void opensAtTheThresholdAndRefusesDuringTheCooldown() {
    CircuitBreaker b = new CircuitBreaker(2, 60_000_000_000L, diagnostics);
    b.failure("boom");
    b.failure("boom");
    assertThat(b.isOpen()).isTrue();
    for (int i = 0; i < 100; i++) {
      assertThat(b.allow()).isFalse();
    }
    assertThat(warnings).hasSize(1).first().asString().contains("boom").contains("2 consecutive");
  }

  @Test
  void afterTheCooldownExactlyOneProbeIsLetThrough() throws InterruptedException {
    CircuitBreaker b = new CircuitBreaker(1, 1_000_000L, diagnostics); // 1 ms
    b.failure("x");
    Thread.sleep(20);
    assertThat(b.allow()).isTrue();
    assertThat(b.allow()).as("second caller while the probe runs").isFalse();
    b.releaseProbe();
    assertThat(b.allow()).as("probe permit given back unused").isTrue();
    b.success();
    assertThat(b.isOpen()).isFalse();
    assertThat(b.allow()).isTrue();
    assertThat(b.allow()).isTrue();
    assertThat(infos).anyMatch(m -> m.contains("closed"));
  }

  @Test
  void aFailedProbeReopensForAnotherCooldown() throws InterruptedException {
    CircuitBreaker b = new CircuitBreaker(1, 50_000_000L, diagnostics); // 50 ms
    b.failure("x");
    Thread.sleep(80);
    assertThat(b.allow()).isTrue();
    b.failure("again");
    assertThat(b.isOpen()).isTrue();
    assertThat(b.allow()).as("right after the failed probe").isFalse();
  }

  @Test
  void warnsOnceWhenItOpensAndSaysWhenItClosesAgain() {
    CircuitBreaker b = new CircuitBreaker(2, 60_000_000_000L, diagnostics);
    b.success();
    assertThat(infos).as("a success while closed is not news").isEmpty();
    for (int i = 0; i < 5; i++) {
      b.failure("down");
    }
    assertThat(warnings).hasSize(1);
    b.success();
    assertThat(b.isOpen()).isFalse();
    assertThat(infos).hasSize(1);
  }
}
