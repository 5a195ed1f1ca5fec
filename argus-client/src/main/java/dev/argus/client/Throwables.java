package dev.argus.client;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an exception into the {@code exception} object that appenders and the agent put into
 * {@code data}: class, message, a trimmed stack trace and the cause chain.
 *
 * <pre>{"class":"..","message":"..","stack_trace":["com.acme.Foo.bar(Foo.java:12)",..],
 *  "frames_omitted":3,"cause":{..}}</pre>
 *
 * A cause's frames that repeat the enclosing trace are left out and counted in
 * {@code common_frames_omitted}, as {@link Throwable#printStackTrace()} does with "... n more".
 */
public final class Throwables {

  /** Default number of frames kept per throwable. */
  public static final int DEFAULT_MAX_FRAMES = 50;

  /** Causes deeper than this are cut off (cyclic or absurdly deep chains). */
  public static final int MAX_CAUSES = 16;

  /**
   * How to read a throwable-like object: a {@link Throwable}, or a framework's proxy of one that
   * may have lost the original (Logback's {@code IThrowableProxy} of a deserialized event).
   */
  public interface Reader<T> {
    String className(T t);

    String message(T t);

    /** The stack trace, or null. */
    StackTraceElement[] frames(T t);

    /** The cause, or null. */
    T cause(T t);
  }

  private static final Reader<Throwable> THROWABLE = new Reader<>() {
    @Override
    public String className(Throwable t) {
      return t.getClass().getName();
    }

    @Override
    public String message(Throwable t) {
      try {
        return t.getMessage();
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public StackTraceElement[] frames(Throwable t) {
      return t.getStackTrace();
    }

    @Override
    public Throwable cause(Throwable t) {
      return t.getCause();
    }
  };

  private Throwables() {}

  /** Describes {@code t} with at most {@code maxFrames} frames per throwable; null for null. */
  public static Map<String, Object> toData(Throwable t, int maxFrames) {
    return toData(t, THROWABLE, maxFrames);
  }

  /** Describes what {@code reader} reads from {@code t}; null for null. */
  public static <T> Map<String, Object> toData(T t, Reader<T> reader, int maxFrames) {
    if (t == null) {
      return null;
    }
    return describe(t, reader, null, maxFrames, 0, new IdentityHashMap<>());
  }

  private static <T> Map<String, Object> describe(T t, Reader<T> reader,
      StackTraceElement[] enclosing, int maxFrames, int depth, IdentityHashMap<T, Boolean> seen) {
    seen.put(t, Boolean.TRUE);
    StackTraceElement[] frames = reader.frames(t);
    if (frames == null) {
      frames = new StackTraceElement[0];
    }
    Map<String, Object> cause = null;
    T c = reader.cause(t);
    if (c != null && !seen.containsKey(c) && depth + 1 < MAX_CAUSES) {
      cause = describe(c, reader, frames, maxFrames, depth + 1, seen);
    }
    return describe(reader.className(t), reader.message(t), frames, enclosing, maxFrames, cause);
  }

  private static Map<String, Object> describe(String className, String message,
      StackTraceElement[] frames, StackTraceElement[] enclosing, int maxFrames,
      Map<String, Object> cause) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class", className);
    m.put("message", message);
    int common = enclosing == null ? 0 : commonFrames(frames, enclosing);
    int usable = frames.length - common;
    int kept = Math.min(usable, Math.max(0, maxFrames));
    List<String> stack = new ArrayList<>(kept);
    for (int i = 0; i < kept; i++) {
      stack.add(String.valueOf(frames[i]));
    }
    m.put("stack_trace", stack);
    if (usable > kept) {
      m.put("frames_omitted", usable - kept);
    }
    if (common > 0) {
      m.put("common_frames_omitted", common);
    }
    if (cause != null) {
      m.put("cause", cause);
    }
    return m;
  }

  private static int commonFrames(StackTraceElement[] frames, StackTraceElement[] enclosing) {
    int i = frames.length - 1;
    int j = enclosing.length - 1;
    int n = 0;
    while (i >= 0 && j >= 0 && frames[i].equals(enclosing[j])) {
      i--;
      j--;
      n++;
    }
    return n;
  }
}
