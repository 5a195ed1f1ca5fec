package dev.argus.agent;

import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code Thread.dispatchUncaughtException}, which the JVM calls on every
 * thread (main and virtual threads included) that ends with an exception, before the thread's own
 * or the default handler runs. Seeing it here, rather than by replacing the default handler, keeps
 * working when the application installs its own handlers later.
 *
 * <p>The code lands in a bootstrap class that cannot link against the agent, so it finds the
 * bridge reflectively through the system class loader, where {@code -javaagent} jars live. The
 * cost only arises when a thread dies.
 */
final class UncaughtExceptionAdvice {
    private UncaughtExceptionAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread, @Advice.Argument(0) Throwable error) throws Exception {
        Class.forName("dev.argus.agent.bridge.ArgusBridge", true, ClassLoader.getSystemClassLoader())
                .getMethod("uncaught", Thread.class, Throwable.class)
                .invoke(null, thread, error);
    }
}
