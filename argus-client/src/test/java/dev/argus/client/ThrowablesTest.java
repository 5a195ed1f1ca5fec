package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThrowablesTest {

  /** A proxy-like throwable, as a framework hands over when the original is gone. */
  private static final class Proxy {
    final String name;
    final StackTraceElement[] frames;
    Proxy cause;

    Proxy(String name, StackTraceElement... frames) {
      this.name = name;
      this.frames = frames;
    }
  }

  private static final Throwables.Reader<Proxy> READER = new Throwables.Reader<>() {
    @Override
    public String className(Proxy t) {
      return t.name;
    }

    @Override
    public String message(Proxy t) {
      return "m-" + t.name;
    }

    @Override
    public StackTraceElement[] frames(Proxy t) {
      return t.frames;
    }

    @Override
    public Proxy cause(Proxy t) {
      return t.cause;
    }
  };

  private static StackTraceElement at(String method) {
    return new StackTraceElement("C", method, "C.java", 1);
  }

  @Test
  void aProxyChainIsDescribedLikeAThrowableAndACycleEndsIt() {
    Proxy outer = new Proxy("Outer", at("a"), at("main"));
    Proxy inner = new Proxy("Inner", at("b"), at("a"), at("main"));
    outer.cause = inner;
    inner.cause = outer;
    Map<String, Object> d = Throwables.toData(outer, READER, 50);
    assertThat(d.get("class")).isEqualTo("Outer");
    assertThat(d.get("message")).isEqualTo("m-Outer");
    @SuppressWarnings("unchecked")
    Map<String, Object> cause = (Map<String, Object>) d.get("cause");
    assertThat(cause.get("class")).isEqualTo("Inner");
    assertThat(cause.get("stack_trace")).isEqualTo(List.of("C.b(C.java:1)"));
    assertThat(cause.get("common_frames_omitted")).isEqualTo(2);
    assertThat(cause).doesNotContainKey("cause");
  }

  @Test
  void framesBeyondTheLimitAreCountedAndMissingFramesAreEmpty() {
    Map<String, Object> d = Throwables.toData(new Proxy("P", at("a"), at("b"), at("c")), READER, 1);
    assertThat(d.get("stack_trace")).isEqualTo(List.of("C.a(C.java:1)"));
    assertThat(d.get("frames_omitted")).isEqualTo(2);
    Map<String, Object> none = Throwables.toData(new Proxy("Q", (StackTraceElement[]) null), READER, 5);
    assertThat(none.get("stack_trace")).isEqualTo(List.of());
    assertThat(Throwables.toData(null, READER, 5)).isNull();
  }
}
