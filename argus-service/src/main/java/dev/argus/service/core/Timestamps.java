package dev.argus.service.core;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 timestamps as epoch microseconds (SPEC §2): offsets converted to UTC, no offset taken
 * as UTC, fractions beyond microseconds truncated, years 1970–9999 only; always written back as
 * {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}.
 */
public final class Timestamps {
    private static final long MIN_MICROS = 0L;
    private static final long MAX_MICROS =
            LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 999_999L;

    private Timestamps() {
    }

    /** Current time in epoch microseconds. */
    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /**
     * Parses an RFC 3339 date-time ({@code T}, {@code t} or a space between date and time; offset
     * {@code Z}, {@code ±HH:MM} or none). Returns {@link Long#MIN_VALUE} when the text is not one or
     * lies outside 1970–9999 in UTC.
     */
    public static long parseMicros(String s) {
        if (s == null) {
            return Long.MIN_VALUE;
        }
        int n = s.length();
        if (n < 19 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-'
                || !digits(s, 8, 10) || !isDateTimeSeparator(s.charAt(10)) || !digits(s, 11, 13)
                || s.charAt(13) != ':' || !digits(s, 14, 16) || s.charAt(16) != ':' || !digits(s, 17, 19)) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        long micros = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 6) {
                    micros = micros * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return Long.MIN_VALUE;
            }
            for (int k = count; k < 6; k++) {
                micros *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char c = s.charAt(i);
            if ((c == 'Z' || c == 'z') && i + 1 == n) {
                i++;
            } else if (c == '+' || c == '-') {
                int hh;
                int mm;
                if (n - i == 6 && digits(s, i + 1, i + 3) && s.charAt(i + 3) == ':' && digits(s, i + 4, i + 6)) {
                    hh = num(s, i + 1, i + 3);
                    mm = num(s, i + 4, i + 6);
                } else if (n - i == 5 && digits(s, i + 1, i + 5)) {
                    hh = num(s, i + 1, i + 3);
                    mm = num(s, i + 3, i + 5);
                } else {
                    return Long.MIN_VALUE;
                }
                if (hh > 23 || mm > 59) {
                    return Long.MIN_VALUE;
                }
                offsetSeconds = (hh * 3600 + mm * 60) * (c == '-' ? -1 : 1);
                i = n;
            } else {
                return Long.MIN_VALUE;
            }
        }
        if (i != n) {
            return Long.MIN_VALUE;
        }
        long epochSecond;
        try {
            LocalDate date = LocalDate.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10));
            int hour = num(s, 11, 13);
            int minute = num(s, 14, 16);
            int second = num(s, 17, 19);
            if (hour > 23 || minute > 59 || second > 59) {
                return Long.MIN_VALUE;
            }
            epochSecond = date.toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long total = epochSecond * 1_000_000L + micros;
        if (total < MIN_MICROS || total > MAX_MICROS) {
            return Long.MIN_VALUE;
        }
        return total;
    }

    private static boolean isDateTimeSeparator(char c) {
        return c == 'T' || c == 't' || c == ' ';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /** Formats epoch microseconds as {@code 2026-11-21T12:34:56.123456Z}. */
    public static String format(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(days);
        char[] out = new char[27];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, (secOfDay / 60) % 60, 2);
        out[16] = ':';
        put(out, 17, secOfDay % 60, 2);
        out[19] = '.';
        put(out, 20, fraction, 6);
        out[26] = 'Z';
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
