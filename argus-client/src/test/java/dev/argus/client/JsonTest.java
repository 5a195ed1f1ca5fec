package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static String str(String s) {
    StringBuilder sb = new StringBuilder();
    Json.writeString(sb, s);
    return sb.toString();
  }

  private static String value(Object o) {
    StringBuilder sb = new StringBuilder();
    Json.writeValue(sb, o, 1);
    return sb.toString();
  }

  @Test
  void escapesEveryControlCharacterQuoteAndBackslash() {
    assertThat(str("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(str("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(str("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
    for (char c = 0; c < 0x20; c++) {
      assertThat(str(String.valueOf(c))).startsWith("\"\\").endsWith("\"");
    }
  }

  @Test
  void keepsUnicodeAndValidSurrogatePairsButReplacesLoneSurrogates() {
    assertThat(str("héllo ✓ 日本 😀")).isEqualTo("\"héllo ✓ 日本 😀\"");
    assertThat(str("a\ud83db")).isEqualTo("\"a\\ufffdb\"");
    assertThat(str("\ude00x")).isEqualTo("\"\\ufffdx\"");
    assertThat(str("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
  }

  @Test
  void writesNumbersExactly() {
    assertThat(value(42)).isEqualTo("42");
    assertThat(value(-7L)).isEqualTo("-7");
    assertThat(value(new BigInteger("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
    assertThat(value(new BigDecimal("0.1000000000000000000001"))).isEqualTo("0.1000000000000000000001");
    assertThat(value(1.5d)).isEqualTo("1.5");
    assertThat(value(Double.NaN)).isEqualTo("\"NaN\"");
    assertThat(value(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
  }

  @Test
  void writesNestedMapsAndListsInInsertionOrder() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", Arrays.asList(true, null, "x", List.of(2)));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("b", inner);
    outer.put("a", new Object[] {1, "y"});
    assertThat(value(outer)).isEqualTo("{\"b\":{\"z\":1,\"a\":[true,null,\"x\",[2]]},\"a\":[1,\"y\"]}");
  }

  @Test
  void writesValuesDeeperThanTheServerLimitAsStrings() {
    Map<String, Object> deep = new LinkedHashMap<>();
    Map<String, Object> cur = deep;
    for (int i = 0; i < 100; i++) {
      Map<String, Object> next = new LinkedHashMap<>();
      cur.put("k", next);
      cur = next;
    }
    StringBuilder sb = new StringBuilder();
    Json.writeMap(sb, deep, 1); // as the event's data object, which counts as level 1
    String json = sb.toString();
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"' && json.charAt(i - 1) != '\\') {
        inString = !inString;
      } else if (!inString && c == '{') {
        max = Math.max(max, ++depth);
      } else if (!inString && c == '}') {
        depth--;
      }
    }
    assertThat(max).isEqualTo(Json.MAX_DEPTH);
  }

  @Test
  void eventJsonCarriesEveryFieldAndAUuid() {
    ArgusEvent e = ArgusEvent.builder("log").level("WARN").message("m")
        .timestamp(Instant.parse("2026-11-21T12:34:56.123Z")).put("k", "v").tag("t")
        .sessionId("s").build();
    assertThat(e.uuid()).isNotBlank();
    assertThat(e.toJson("src")).isEqualTo("{\"source\":\"src\",\"event_type\":\"log\",\"level\":\"warn\","
        + "\"message\":\"m\",\"timestamp\":\"2026-11-21T12:34:56.123000Z\",\"data\":{\"k\":\"v\"},"
        + "\"tags\":[\"t\"],\"session_id\":\"s\",\"uuid\":\"" + e.uuid() + "\"}");
    assertThat(ArgusEvent.builder("x").source("own").build().toJson("src")).startsWith("{\"source\":\"own\"");
  }

  @Test
  void describesExceptionsWithTrimmedStackAndCauseChain() {
    IllegalStateException root = new IllegalStateException("outer", new java.io.IOException("inner"));
    Map<String, Object> d = Throwables.toData(root, 2);
    assertThat(d.get("class")).isEqualTo("java.lang.IllegalStateException");
    assertThat(d.get("message")).isEqualTo("outer");
    assertThat((List<?>) d.get("stack_trace")).hasSize(2);
    assertThat(d).containsKey("frames_omitted");
    @SuppressWarnings("unchecked")
    Map<String, Object> cause = (Map<String, Object>) d.get("cause");
    assertThat(cause.get("class")).isEqualTo("java.io.IOException");
    assertThat(cause.get("message")).isEqualTo("inner");
  }
}
