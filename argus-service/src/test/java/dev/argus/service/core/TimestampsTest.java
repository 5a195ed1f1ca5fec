package dev.argus.service.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {
    @ParameterizedTest
    @CsvSource({
            "2026-11-21T12:34:56.123456Z, 2026-11-21T12:34:56.123456Z",
            "2026-11-21T12:34:56Z, 2026-11-21T12:34:56.000000Z",
            "2026-11-21T12:34:56, 2026-11-21T12:34:56.000000Z",
            "2026-11-21t12:34:56z, 2026-11-21T12:34:56.000000Z",
            "2026-11-21 12:34:56.1+02:00, 2026-11-21T10:34:56.100000Z",
            "2026-11-21T00:10:00.999999999-05:30, 2026-11-21T05:40:00.999999Z",
            "2026-11-21T23:00:00+0100, 2026-11-21T22:00:00.000000Z",
            "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000000Z",
            "2024-02-29T12:00:00Z, 2024-02-29T12:00:00.000000Z",
    })
    void parsesAndFormatsAsUtcMicros(String in, String out) {
        long micros = Timestamps.parseMicros(in);
        assertThat(micros).isNotEqualTo(Long.MIN_VALUE);
        assertThat(Timestamps.format(micros)).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-21", "2026-11-21T12:34", "10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
            "1970-01-01T00:30:00+01:00", "2026-02-30T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T12:34:60Z",
            "2026-11-21T12:34:56.Z", "2026-11-21T12:34:56+25:00", "2026-11-21T12:34:56ZZ", "now", "",
            "2026-11-21T12:34:56 +01:00", "+2026-11-21T12:34:56Z"})
    void refusesWhatIsNotAnRfc3339DateTimeIn1970To9999(String in) {
        assertThat(Timestamps.parseMicros(in)).isEqualTo(Long.MIN_VALUE);
    }
}
