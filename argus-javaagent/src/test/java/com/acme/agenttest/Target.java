package com.acme.agenttest;

import dev.argus.annotations.Observed;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/** Loaded in a fresh class loader by the in-process agent tests (outside dev.argus, which is never instrumented). */
public class Target {

    @Observed
    public int twice(int x) {
        return 2 * x;
    }

    @Observed(name = "checkout", eventType = "business.step")
    public String named(String item, long count) {
        return item + count;
    }

    @Observed
    public void fails() {
        throw new IllegalStateException("boom");
    }

    @WithSpan("span-name")
    public int withSpan() {
        return 1;
    }

    public int listed() {
        return 3;
    }

    public int notObserved() {
        return 4;
    }

    @Observed
    public static boolean accept(Object value) {
        return value != null;
    }
}
