package dev.argus.agent;

import dev.argus.agent.bridge.ArgusBridge;
import net.bytebuddy.asm.Advice;

/** {@link ObservedAdvice} that also passes the arguments (only when arguments are captured). */
final class ObservedWithArgsAdvice {
    private ObservedWithArgsAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@SiteId int site) {
        return ArgusBridge.enter(site);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int site, @Advice.Enter long start, @Advice.Thrown Throwable thrown,
                     @Advice.AllArguments Object[] args) {
        ArgusBridge.exit(site, start, args, thrown);
    }
}
