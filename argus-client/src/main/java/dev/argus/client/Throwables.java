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

  private Throwables() {}

  /** Describes {@code t} with at most {@code maxFrames} frames per throwable; null for null. */
  public static Map<String, Object> toData(Throwable t, int maxFrames) {
    if (t == null) {
      return null;
    }
    return describe(t, null, maxFrames, 0, new IdentityHashMap<>());
  }

  private static Map<String, Object> describe(Throwable t, StackTraceElement[] enclosing,
      int maxFrames, int depth, IdentityHashMap<Throwable, Boolean> seen) {
    seen.put(t, Boolean.TRUE);
    StackTraceElement[] frames = t.getStackTrace();
    Map<String, Object> cause = null;
    Throwable c = t.getCause();
    if (c != null && !seen.containsKey(c) && depth + 1 < MAX_CAUSES) {
      cause = describe(c, frames, maxFrames, depth + 1, seen);
    }
    return describe(t.getClass().getName(), safeMessage(t), frames, enclosing, maxFrames, cause);
  }

  /**
   * Builds the object from parts, for frameworks that hand over a proxy rather than the throwable
   * itself (Logback's {@code IThrowableProxy}). {@code enclosing} is the enclosing throwable's trace
   * (null for the outermost); {@code cause} is the already described cause or null.
   */
  public static Map<String, Object> describe(String className, String message,
      StackTraceElement[] frames, StackTraceElement[] enclosing, int maxFrames,
      Map<String, Object> cause) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class", className);
    m.put("message", message);
    if (frames == null) {
      frames = new StackTraceElement[0];
    }
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

  private static String safeMessage(Throwable t) {
    try {
      return t.getMessage();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
