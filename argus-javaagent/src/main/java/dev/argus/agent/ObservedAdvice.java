package dev.argus.agent;

import dev.argus.agent.bridge.ArgusBridge;
import net.bytebuddy.asm.Advice;

/** Inlined around an observed method; hands everything to {@link ArgusBridge}. */
final class ObservedAdvice {
    private ObservedAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@SiteId int site) {
        return ArgusBridge.enter(site);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int site, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
        ArgusBridge.exit(site, start, null, thrown);
    }
}
