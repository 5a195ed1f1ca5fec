package dev.argus.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event as the server expects it (SPEC §2), immutable. Every event carries a client-chosen
 * {@code uuid} so that re-sending it after a timeout or from the spool never stores it twice.
 */
public final class ArgusEvent {

  private final String source;
  private final String eventType;
  private final String level;
  private final String message;
  private final Instant timestamp;
  private final Map<String, Object> data;
  private final List<String> tags;
  private final String sessionId;
  private final String uuid;

  private ArgusEvent(Builder b) {
    this.source = b.source;
    this.eventType = b.eventType;
    this.level = b.level;
    this.message = b.message;
    this.timestamp = b.timestamp;
    this.data = b.data == null ? null : Collections.unmodifiableMap(b.data);
    this.tags = b.tags == null ? List.of() : Collections.unmodifiableList(b.tags);
    this.sessionId = b.sessionId;
    this.uuid = b.uuid != null ? b.uuid : timeOrderedUuid();
  }

  /**
   * A UUID laid out like version 7: 48 bits of Unix milliseconds, then 74 random bits. Keys that
   * grow with time append to the server's unique index instead of landing on random pages, which
   * halves the cost of storing an event there. Idempotency needs uniqueness, not secrecy, so a
   * fast non-cryptographic random is enough.
   */
  static String timeOrderedUuid() {
    long millis = System.currentTimeMillis();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** Starts an event of the given type ({@code log}, {@code error}, {@code method}, ...). */
  public static Builder builder(String eventType) {
    return new Builder(eventType);
  }

  /** Source, or null when the client's configured source applies. */
  public String source() {
    return source;
  }

  public String eventType() {
    return eventType;
  }

  /** Lower-case level or null. */
  public String level() {
    return level;
  }

  public String message() {
    return message;
  }

  /** The producer's time, or null (then the server's time applies). */
  public Instant timestamp() {
    return timestamp;
  }

  /** Unmodifiable data object in insertion order, or null. */
  public Map<String, Object> data() {
    return data;
  }

  public List<String> tags() {
    return tags;
  }

  public String sessionId() {
    return sessionId;
  }

  /** Idempotency key, never null. */
  public String uuid() {
    return uuid;
  }

  /** Compact JSON object per SPEC §2; {@code defaultSource} is used when the event has none. */
  public String toJson(String defaultSource) {
    StringBuilder sb = new StringBuilder(256);
    appendJson(sb, defaultSource);
    return sb.toString();
  }

  void appendJson(StringBuilder sb, String defaultSource) {
    String src = source != null ? source : defaultSource;
    sb.append('{');
    sb.append("\"source\":");
    Json.writeString(sb, src == null ? "unknown" : src);
    sb.append(",\"event_type\":");
    Json.writeString(sb, eventType);
    if (level != null) {
      sb.append(",\"level\":");
      Json.writeString(sb, level);
    }
    if (message != null) {
      sb.append(",\"message\":");
      Json.writeString(sb, message);
    }
    if (timestamp != null) {
      sb.append(",\"timestamp\":\"").append(formatTimestamp(timestamp)).append('"');
    }
    if (data != null) {
      sb.append(",\"data\":");
      Json.writeMap(sb, data, 1);
    }
    if (!tags.isEmpty()) {
      sb.append(",\"tags\":");
      Json.writeValue(sb, tags, 1);
    }
    if (sessionId != null) {
      sb.append(",\"session_id\":");
      Json.writeString(sb, sessionId);
    }
    sb.append(",\"uuid\":");
    Json.writeString(sb, uuid);
    sb.append('}');
  }

  /** ISO-8601 UTC with microseconds, the server's own precision. */
  static String formatTimestamp(Instant t) {
    // By hand rather than Instant.toString: its DateTimeFormatter costs a JVM that is starting
    // (the Java agent's jvm.start) tens of classes. Fixed width, unlike Instant.toString.
    // The civil date by H. Hinnant's days_from_civil inverse, not LocalDate (whose ChronoField
    // tables are another dozen classes).
    long seconds = t.getEpochSecond();
    long z = Math.floorDiv(seconds, 86_400L) + 719_468L;
    long era = Math.floorDiv(z, 146_097L);
    long doe = z - era * 146_097L;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int dayOfMonth = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      return formatTimestampSlowly(t);
    }
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    StringBuilder b = new StringBuilder(27);
    pad(b, (int) year, 4).append('-');
    pad(b, month, 2).append('-');
    pad(b, dayOfMonth, 2).append('T');
    pad(b, secondOfDay / 3600, 2).append(':');
    pad(b, secondOfDay / 60 % 60, 2).append(':');
    pad(b, secondOfDay % 60, 2).append('.');
    return pad(b, t.getNano() / 1000, 6).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }

  /** Years outside 0000-9999 (which Instant.toString writes with a sign). */
  static String formatTimestampSlowly(Instant t) {
    String s = t.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s.substring(0, s.length() - 1) + ".000000Z";
    }
    StringBuilder b = new StringBuilder(s.substring(0, s.length() - 1));
    while (b.length() - dot - 1 < 6) {
      b.append('0');
    }
    return b.append('Z').toString();
  }

  @Override
  public String toString() {
    return toJson(null);
  }

  /** Mutable builder; {@link #build()} copies nothing it does not own. */
  public static final class Builder {
    private String source;
    private final String eventType;
    private String level;
    private String message;
    private Instant timestamp;
    private Map<String, Object> data;
    private List<String> tags;
    private String sessionId;
    private String uuid;

    private Builder(String eventType) {
      this.eventType = Objects.requireNonNull(eventType, "eventType");
    }

    /** Optional; falls back to the client's configured source. */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** trace, debug, info, warn, error or fatal (stored lower-case). */
    public Builder level(String level) {
      this.level = level == null ? null : level.toLowerCase(java.util.Locale.ROOT);
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /**
     * The data object: nested Map/List/String/Number/Boolean/null, insertion order kept. The map
     * is copied (one level); nested values are written as they are when the event is serialized.
     */
    public Builder data(Map<String, ?> data) {
      this.data = data == null ? null : new LinkedHashMap<>(data);
      return this;
    }

    /** Adds one entry to the data object. */
    public Builder put(String key, Object value) {
      if (data == null) {
        data = new LinkedHashMap<>();
      }
      data.put(key, value);
      return this;
    }

    public Builder tag(String tag) {
      if (tags == null) {
        tags = new ArrayList<>(4);
      }
      tags.add(tag);
      return this;
    }

    public Builder tags(Collection<String> tags) {
      if (tags != null) {
        for (String t : tags) {
          tag(t);
        }
      }
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    /** Defaults to a random UUID. */
    public Builder uuid(String uuid) {
      this.uuid = uuid;
      return this;
    }

    public ArgusEvent build() {
      return new ArgusEvent(this);
    }
  }
}
