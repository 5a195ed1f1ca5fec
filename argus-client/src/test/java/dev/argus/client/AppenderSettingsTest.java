package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppenderSettingsTest {

  private final RecordingDiagnostics diagnostics = new RecordingDiagnostics();
  private final List<String> warnings = diagnostics.warnings;

  @Test
  void urlAndSourceAreRequiredAndBlankCountsAsMissing() {
    AppenderSettings s = new AppenderSettings();
    assertThat(s.problem()).isEqualTo("source is required");
    s.setSource("  ");
    assertThat(s.problem()).isEqualTo("source is required");
    s.setSource("tool");
    assertThat(s.problem()).isNull();
    s.setUrl(" ");
    assertThat(s.problem()).isEqualTo("url is required");
  }

  @Test
  void textIsTrimmedBlankIsUnsetAndUnitsAreConverted(@TempDir Path dir) {
    AppenderSettings s = new AppenderSettings();
    s.setUrl(" http://127.0.0.1:9/ ");
    s.setSource(" tool ");
    s.setApiKey("   ");
    s.setSpoolDir(" " + dir + " ");
    s.setSpoolMaxMb(2);
    s.setTimeoutMs(1500);
    s.setCloseTimeoutMs(0);
    ArgusClientConfig c = s.clientConfig(diagnostics);
    assertThat(c.url()).isEqualTo("http://127.0.0.1:9");
    assertThat(c.source()).isEqualTo("tool");
    assertThat(c.apiKey()).isNull();
    assertThat(c.spoolDir()).isEqualTo(dir);
    assertThat(c.spoolMaxBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.closeTimeout()).isZero();
    assertThat(c.diagnostics()).isSameAs(diagnostics);
    assertThat(c.adjustments()).isEmpty();

    s.setSpoolDir("");
    assertThat(s.clientConfig(diagnostics).spoolDir()).isNull();
  }

  @Test
  void outOfRangeValuesAreClampedAndReportedToTheAppendersChannel() {
    AppenderSettings s = new AppenderSettings();
    s.setSource("tool");
    s.setUrl("http://127.0.0.1:9");
    s.setBatchSize(5000);
    s.setSenderThreads(0);
    s.setTimeoutMs(-5);
    try (LogShipper shipper = LogShipper.start(s, diagnostics)) {
      ArgusClientConfig c = shipper.client().config();
      assertThat(c.batchSize()).isEqualTo(1000);
      assertThat(c.senderThreads()).isEqualTo(1);
      assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1));
    }
    assertThat(warnings).anyMatch(w -> w.contains("batchSize=5000") && w.contains("using 1000"))
        .anyMatch(w -> w.contains("senderThreads=0") && w.contains("using 1"))
        .anyMatch(w -> w.startsWith("timeout="));
  }

  @Test
  void modeIsCaseInsensitiveAndAnUnknownOneIsReportedAndMeansSync() {
    AppenderSettings s = new AppenderSettings();
    assertThat(s.batchMode(diagnostics)).isFalse();
    s.setMode(" BATCH ");
    assertThat(s.batchMode(diagnostics)).isTrue();
    assertThat(warnings).isEmpty();
    s.setMode("async");
    assertThat(s.batchMode(diagnostics)).isFalse();
    assertThat(warnings).containsExactly("unknown mode 'async'; using sync");
  }
}
