package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir
  Path dir;

  private Spool spool() {
    return new Spool(dir, 1024 * 1024, ArgusDiagnostics.silent());
  }

  private static List<String> lines(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("{\"n\":" + i + "}");
    }
    return out;
  }

  /** Reads and acknowledges everything, chunk by chunk. */
  private static List<String> drain(Spool s, int chunk) {
    List<String> out = new ArrayList<>();
    Spool.Chunk c;
    while ((c = s.next(chunk)) != null) {
      out.addAll(c.lines);
      s.ack(c);
    }
    return out;
  }

  private List<String> segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("segment-"))
          .sorted().collect(Collectors.toList());
    }
  }

  @Test
  void replaysInOrderAcrossSegmentsAndDeletesWhatWasAcknowledged() throws Exception {
    Spool s = spool();
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.append(lines(0, 5))).isTrue();
    Spool.Chunk first = s.next(3); // closes the segment being written; later appends go to a new one
    assertThat(first.lines).isEqualTo(lines(0, 3));
    assertThat(s.append(lines(5, 9))).isTrue();
    s.ack(first);
    assertThat(s.isEmpty()).isFalse();
    assertThat(drain(s, 3)).isEqualTo(lines(3, 9));
    assertThat(s.isEmpty()).isTrue();
    assertThat(segmentFiles()).isEmpty();
    s.close();
  }

  @Test
  void anUnacknowledgedChunkIsReadAgain() {
    Spool s = spool();
    s.append(lines(0, 4));
    Spool.Chunk c = s.next(10);
    Spool.Chunk again = s.next(10);
    assertThat(again.lines).isEqualTo(c.lines);
    s.close();
  }

  @Test
  void progressSurvivesAReopenAndATornLastLineIsDropped() throws Exception {
    Spool s = spool();
    s.append(lines(0, 6));
    Spool.Chunk c = s.next(2);
    s.ack(c);
    s.close();
    // a crash in the middle of an append leaves a line without its newline
    try (Stream<Path> files = Files.list(dir)) {
      Path seg = files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).findFirst().orElseThrow();
      Files.write(seg, "{\"torn\":".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }
    Spool reopened = spool();
    assertThat(drain(reopened, 100)).isEqualTo(lines(2, 6));
    assertThat(reopened.isEmpty()).isTrue();
    reopened.close();
  }

  @Test
  void oneOwnerAtATime() {
    Spool owner = spool();
    assertThat(owner.open()).isTrue();
    owner.append(lines(0, 1));
    Spool other = spool();
    assertThat(other.open()).isFalse();
    assertThat(other.lockedByOther()).isTrue();
    assertThat(other.append(lines(1, 2))).isFalse();
    assertThat(other.next(10)).isNull();
    owner.close();
    assertThat(other.open()).isTrue();
    assertThat(drain(other, 10)).isEqualTo(lines(0, 1));
    other.close();
  }

  @Test
  void refusesAppendsBeyondItsLimit() {
    Spool s = new Spool(dir, 4096, ArgusDiagnostics.silent());
    String line = "x".repeat(1000);
    int taken = 0;
    for (int i = 0; i < 10; i++) {
      if (s.append(List.of(line))) {
        taken++;
      }
    }
    assertThat(taken).isEqualTo(4);
    s.close();
  }

  @Test
  void pendingBytesCountOnlyWhatTheServerHasNotAcknowledged() {
    Spool s = spool();
    s.append(lines(0, 4));
    long all = s.pendingBytes();
    assertThat(all).isEqualTo(lines(0, 4).stream().mapToLong(l -> l.length() + 1).sum());
    Spool.Chunk c = s.next(1);
    assertThat(s.pendingBytes()).as("reading acknowledges nothing").isEqualTo(all);
    s.ack(c);
    assertThat(s.pendingBytes()).isEqualTo(all - c.lines.get(0).length() - 1);
    s.close();
  }
}
