package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class EventTemplateTest {

  /** A framework-neutral entry with every part set. */
  private static final class Entry extends LogEntry {
    final Map<String, String> mdc = new LinkedHashMap<>();
    Throwable thrown;
    boolean callerAsked;

    Entry() {
      super("warn", "hello", Instant.parse("2024-05-01T10:00:00Z"), "com.acme.Tool", "main");
    }

    @Override
    public void forEachContext(BiConsumer<String, String> action) {
      mdc.forEach(action);
    }

    @Override
    public List<String> contextStack() {
      return List.of("outer");
    }

    @Override
    public Map<String, Object> keyValues() {
      return Map.of("n", 42);
    }

    @Override
    public List<String> markerNames() {
      return List.of("AUDIT");
    }

    @Override
    public StackTraceElement caller() {
      callerAsked = true;
      return new StackTraceElement("com.acme.Tool", "run", "Tool.java", 12);
    }

    @Override
    public Map<String, Object> exception(int maxFrames) {
      return Throwables.toData(thrown, maxFrames);
    }
  }

  private static EventTemplate template(AppenderSettings s) {
    s.setUrl("http://127.0.0.1:1");
    s.setSource("tool");
    return s.eventTemplate();
  }

  @Test
  void mapsEveryPartIntoTheEventInAFixedOrder() {
    AppenderSettings s = new AppenderSettings();
    s.setEventType(" applog ");
    s.setSessionId(" build-7 ");
    s.setTags("a, ,b,a");
    s.setIncludeCallerData(true);
    s.setMaxStackFrames(1);
    Entry e = new Entry();
    e.mdc.put("keep", "yes");
    e.thrown = new IllegalStateException("boom", new RuntimeException("root"));
    ArgusEvent ev = template(s).toEvent(e);
    assertThat(ev.eventType()).isEqualTo("applog");
    assertThat(ev.sessionId()).isEqualTo("build-7");
    assertThat(ev.tags()).containsExactly("a", "b");
    assertThat(ev.level()).isEqualTo("warn");
    assertThat(ev.data().keySet()).containsExactly("logger", "thread", "mdc", "ndc", "key_values",
        "markers", "caller", "exception");
    assertThat(ev.toJson("x")).contains("\"caller\":{\"class\":\"com.acme.Tool\",\"method\":\"run\","
        + "\"file\":\"Tool.java\",\"line\":12}")
        .contains("\"exception\":{\"class\":\"java.lang.IllegalStateException\",\"message\":\"boom\"")
        .contains("\"cause\":{\"class\":\"java.lang.RuntimeException\",\"message\":\"root\"")
        .contains("\"frames_omitted\":");
  }

  @Test
  void filtersTheMdcByIncludeThenExcludeKeys() {
    AppenderSettings s = new AppenderSettings();
    s.setMdcIncludeKeys("a, b ,c");
    s.setMdcExcludeKeys("b");
    Entry e = new Entry();
    e.mdc.put("a", "1");
    e.mdc.put("b", "2");
    e.mdc.put("d", "4");
    assertThat(template(s).toEvent(e).data().get("mdc")).isEqualTo(Map.of("a", "1"));

    e.mdc.clear();
    e.mdc.put("b", "2");
    assertThat(template(s).toEvent(e).data()).as("an empty MDC is left out").doesNotContainKey("mdc");
  }

  @Test
  void defaultsLeaveOutCallerDataWithoutAskingForItAndBlankTypeMeansLog() {
    AppenderSettings s = new AppenderSettings();
    s.setEventType("  ");
    s.setSessionId(" ");
    Entry e = new Entry();
    ArgusEvent ev = template(s).toEvent(e);
    assertThat(e.callerAsked).isFalse();
    assertThat(ev.data()).doesNotContainKeys("caller", "exception", "mdc");
    assertThat(ev.eventType()).isEqualTo("log");
    assertThat(ev.sessionId()).isNull();
    assertThat(ev.tags()).isEmpty();
  }

  /** A marker graph with a cycle and a shared reference. */
  private static final class M {
    final String name;
    final List<M> refs = new java.util.ArrayList<>();

    M(String name, M... refs) {
      this.name = name;
      this.refs.addAll(List.of(refs));
    }
  }

  @Test
  void markerNamesFollowReferencesOnceEachAndSurviveCycles() {
    M c = new M("C");
    M b = new M("B", c);
    M a = new M("A", b);
    b.refs.add(0, a); // a cycle: A -> B -> A
    M d = new M("D", c);
    Iterator<M> roots = List.of(a, d).iterator();
    assertThat(MarkerNames.of(roots, m -> m.name, m -> m.refs.iterator()))
        .containsExactly("A", "B", "C", "D");
  }
}
