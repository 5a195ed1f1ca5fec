package dev.argus.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampFormatTest {

  @Test
  void handWrittenFormatMatchesInstantToStringPaddedToMicroseconds() {
    Instant[] fixed = {
        Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00Z"),
        Instant.parse("2000-01-01T00:00:00.000001Z"), Instant.parse("9999-12-31T23:59:59.123456789Z"),
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("1900-03-01T01:02:03.4Z")};
    for (Instant t : fixed) {
      assertThat(ArgusEvent.formatTimestamp(t)).as(t.toString()).isEqualTo(ArgusEvent.formatTimestampSlowly(t));
    }
    SplittableRandom r = new SplittableRandom(20);
    for (int i = 0; i < 100_000; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(-62_167_219_200L, 253_402_300_800L), r.nextInt(1_000_000_000));
      assertThat(ArgusEvent.formatTimestamp(t)).as(t.toString()).isEqualTo(ArgusEvent.formatTimestampSlowly(t));
    }
    assertThat(ArgusEvent.formatTimestamp(Instant.parse("2026-11-29T20:05:01.5Z"))).isEqualTo("2026-11-29T20:05:01.500000Z");
    assertThat(ArgusEvent.formatTimestamp(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00.000000Z");
  }
}
