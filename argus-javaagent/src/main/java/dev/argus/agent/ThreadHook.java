package dev.argus.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Reports uncaught exceptions by patching {@code java.lang.Thread.dispatchUncaughtException},
 * which the JVM calls on every thread (main and virtual threads included) that ends with an
 * exception, before the thread's own or the default handler runs. Seeing it there, rather than by
 * replacing the default handler, keeps working when the application installs handlers later.
 *
 * <p>The patch must be in place before {@code main} runs, so it is done at premain, written
 * straight into the class file by {@link ThreadPatch} (ASM, {@link AsmThreadPatch}, only when that
 * does not understand the class; Byte Buddy's {@code AgentBuilder} and {@code Advice} would load
 * about a thousand classes). It prepends, in effect:
 * <pre>
 * try {
 *     Class.forName("dev.argus.agent.bridge.ArgusBridge", true, ClassLoader.getSystemClassLoader())
 *          .getMethod("uncaught", Thread.class, Throwable.class).invoke(null, this, e);
 * } catch (Throwable ignored) { }
 * </pre>
 * {@code java.lang.Thread} lives in the bootstrap loader and cannot link against the agent, so it
 * finds the bridge reflectively in the system class loader, where {@code -javaagent} jars live. The
 * reflection only runs when a thread dies.
 */
final class ThreadHook implements ClassFileTransformer {
    static final String METHOD = "dispatchUncaughtException";
    static final String DESCRIPTOR = "(Ljava/lang/Throwable;)V";

    private volatile boolean patched;
    private volatile boolean viaAsm;
    private volatile Throwable failure;

    /** Patches {@code java.lang.Thread}; returns the hook (to undo it), or null when that failed. */
    static ThreadHook install(Instrumentation inst) {
        ThreadHook hook = new ThreadHook();
        inst.addTransformer(hook, true);
        try {
            inst.retransformClasses(Thread.class);
        } catch (Exception | LinkageError e) {
            hook.failure = e;
        }
        if (!hook.patched) {
            inst.removeTransformer(hook);
            return null;
        }
        return hook;
    }

    /** True when the patch had to be made with ASM ({@link ThreadPatch} did not understand the class). */
    boolean viaAsm() {
        return viaAsm;
    }

    /** Why the last attempt did not patch, or null. */
    Throwable failure() {
        return failure;
    }

    /** Removes the patch again. */
    void uninstall(Instrumentation inst) {
        inst.removeTransformer(this);
        try {
            inst.retransformClasses(Thread.class);
        } catch (Exception | LinkageError e) {
            // the patch stays; it only calls the bridge, which has no dispatcher any more
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        // by name too: HotSpot reports classes loaded *during* the retransformation (ThreadPatch's
        // own, on first use) with Thread as the class being redefined; patching those would fail
        // and fall back to ASM for each of them
        if (classBeingRedefined != Thread.class || !"java/lang/Thread".equals(className)) {
            return null;
        }
        try {
            byte[] result = ThreadPatch.patch(bytes);
            if (result == null) {
                result = AsmThreadPatch.patch(bytes);
                viaAsm = result != null;
            }
            patched = result != null;
            return result;
        } catch (Throwable t) {
            failure = t;
            return null;
        }
    }

    /**
     * The patched class file, or null when {@code dispatchUncaughtException} is not there:
     * {@link ThreadPatch} (no ASM, a millisecond or two), else {@link AsmThreadPatch}.
     */
    static byte[] patch(byte[] threadClass) {
        byte[] quick = ThreadPatch.patch(threadClass);
        return quick != null ? quick : AsmThreadPatch.patch(threadClass);
    }
}
