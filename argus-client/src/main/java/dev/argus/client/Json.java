package dev.argus.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Compact JSON writer for the client's own payloads: strings, numbers, booleans, maps, lists. */
final class Json {

  /** The server rejects {@code data} deeper than 64 levels; deeper values are written as strings. */
  static final int MAX_DEPTH = 64;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** A JSON array of already serialized elements. */
  static String array(List<String> elements) {
    int len = 2;
    for (String e : elements) {
      len += e.length() + 1;
    }
    StringBuilder sb = new StringBuilder(len);
    sb.append('[');
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(elements.get(i));
    }
    return sb.append(']').toString();
  }

  static void writeString(StringBuilder out, String s) {
    out.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String esc = null;
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f || c == '\u2028' || c == '\u2029'
          || Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++; // a valid pair passes through unchanged
          continue;
        }
        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
          continue;
        }
        out.append(s, start, i);
        start = i + 1;
        switch (c) {
          case '"': esc = "\\\""; break;
          case '\\': esc = "\\\\"; break;
          case '\n': esc = "\\n"; break;
          case '\r': esc = "\\r"; break;
          case '\t': esc = "\\t"; break;
          case '\b': esc = "\\b"; break;
          case '\f': esc = "\\f"; break;
          default:
            // A lone surrogate is not valid UTF-8: replace it rather than send undecodable bytes.
            char v = Character.isSurrogate(c) ? '\ufffd' : c;
            out.append("\\u").append(HEX[(v >> 12) & 0xf]).append(HEX[(v >> 8) & 0xf])
                .append(HEX[(v >> 4) & 0xf]).append(HEX[v & 0xf]);
        }
        if (esc != null) {
          out.append(esc);
        }
      }
    }
    out.append(s, start, n);
    out.append('"');
  }

  static void writeValue(StringBuilder out, Object value, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      writeString(out, (String) value);
    } else if (value instanceof Boolean) {
      out.append(((Boolean) value).booleanValue());
    } else if (value instanceof Number) {
      writeNumber(out, (Number) value);
    } else if (value instanceof Map) {
      if (depth >= MAX_DEPTH) {
        writeString(out, String.valueOf(value));
      } else {
        writeMap(out, (Map<?, ?>) value, depth + 1);
      }
    } else if (value instanceof Iterable) {
      if (depth >= MAX_DEPTH) {
        writeString(out, String.valueOf(value));
      } else {
        out.append('[');
        boolean first = true;
        for (Object o : (Iterable<?>) value) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeValue(out, o, depth + 1);
        }
        out.append(']');
      }
    } else if (value instanceof Object[]) {
      writeValue(out, java.util.Arrays.asList((Object[]) value), depth);
    } else if (value instanceof Character || value instanceof Enum) {
      writeString(out, value.toString());
    } else {
      writeString(out, safeToString(value));
    }
  }

  /** Writes {@code map} as an object; depth is the nesting level of this object (data = 1). */
  static void writeMap(StringBuilder out, Map<?, ?> map, int depth) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, String.valueOf(e.getKey()));
      out.append(':');
      writeValue(out, e.getValue(), depth);
    }
    out.append('}');
  }

  private static void writeNumber(StringBuilder out, Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof BigInteger || n instanceof java.util.concurrent.atomic.AtomicInteger
        || n instanceof java.util.concurrent.atomic.AtomicLong) {
      out.append(n.toString());
    } else if (n instanceof BigDecimal) {
      out.append(((BigDecimal) n).toString());
    } else if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        writeString(out, n.toString()); // JSON has no NaN/Infinity
      } else {
        out.append(n.toString());
      }
    } else {
      String s = n.toString();
      try {
        out.append(new BigDecimal(s).toString());
      } catch (NumberFormatException e) {
        writeString(out, s);
      }
    }
  }

  private static String safeToString(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return value.getClass().getName() + " (toString failed: " + e + ")";
    }
  }
}
