package dev.argus.agent;

import dev.argus.agent.bridge.ArgusBridge;
import dev.argus.client.ArgusDiagnostics;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires the agent into the JVM: connects the dispatcher to the bridge, patches
 * {@code java.lang.Thread} and registers the method transformation. Byte Buddy's
 * {@code AgentBuilder} ({@link ByteBuddyHooks}) is loaded only when there is a method to observe.
 */
final class AgentInstaller {
    private AgentInstaller() {
    }

    /** What was installed; {@link #close()} undoes it (tests; a running agent stays until exit). */
    static final class Installation implements AutoCloseable {
        private final Instrumentation inst;
        private final ArgusDiagnostics diagnostics;
        private final AgentDispatcher dispatcher;
        private final List<Runnable> undo = new ArrayList<>();
        private volatile boolean threadHooked;
        private volatile boolean threadHookViaAsm;

        Installation(Instrumentation inst, ArgusDiagnostics diagnostics, AgentDispatcher dispatcher) {
            this.inst = inst;
            this.diagnostics = diagnostics;
            this.dispatcher = dispatcher;
        }

        /** True once {@code Thread.dispatchUncaughtException} is instrumented. */
        boolean threadHooked() {
            return threadHooked;
        }

        /** True when the {@code Thread} patch needed ASM (the class file had a shape {@link ThreadPatch} skips). */
        boolean threadHookViaAsm() {
            return threadHookViaAsm;
        }

        /**
         * Patches {@code java.lang.Thread} ({@link ThreadHook}). When that fails, a default handler
         * reports instead, chaining to the previous one (else printing what the JVM would print);
         * unlike the patch it does not see handlers the application installs later.
         */
        void hookThreads() {
            ThreadHook hook = ThreadHook.install(inst);
            if (hook != null) {
                threadHooked = true;
                threadHookViaAsm = hook.viaAsm();
                if (threadHookViaAsm) {
                    diagnostics.info("java.lang.Thread patched with ASM (unexpected class file shape)");
                }
                undo.add(0, new Runnable() {
                    @Override
                    public void run() {
                        hook.uninstall(inst);
                    }
                });
                return;
            }
            diagnostics.warn("java.lang.Thread could not be instrumented; uncaught exceptions are reported "
                    + "through a default handler, which the application may replace", null);
            installFallbackHandler();
        }

        void installFallbackHandler() {
            synchronized (Thread.class) {
                Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
                Thread.UncaughtExceptionHandler handler = (t, e) -> {
                    ArgusBridge.uncaught(t, e);
                    if (previous != null) {
                        previous.uncaughtException(t, e);
                    } else if (!(e instanceof ThreadDeath)) {
                        System.err.print("Exception in thread \"" + t.getName() + "\" ");
                        e.printStackTrace(System.err);
                    }
                };
                Thread.setDefaultUncaughtExceptionHandler(handler);
                undo.add(() -> {
                    synchronized (Thread.class) {
                        if (Thread.getDefaultUncaughtExceptionHandler() == handler) {
                            Thread.setDefaultUncaughtExceptionHandler(previous);
                        }
                    }
                });
            }
        }

        @Override
        public void close() {
            if (ArgusBridge.dispatcher() == dispatcher) {
                ArgusBridge.install(null);
            }
            for (Runnable r : undo) {
                r.run();
            }
            undo.clear();
        }
    }

    /**
     * Connects the dispatcher and sets up observed methods: at premain behind the cheap
     * {@link ObservedClassFilter}; when attached to a running JVM ({@code retransformLoaded})
     * through Byte Buddy at once, retransforming classes already loaded.
     */
    static Installation install(Instrumentation inst, AgentSettings settings, Events events, EventSink sink,
                                ArgusDiagnostics diagnostics, boolean retransformLoaded) {
        MethodSites sites = new MethodSites();
        AgentDispatcher dispatcher = new AgentDispatcher(sites, events, sink, settings, diagnostics);
        ArgusBridge.install(dispatcher);
        Installation installation = new Installation(inst, diagnostics, dispatcher);
        if (retransformLoaded) {
            installation.undo.add(ByteBuddyHooks.installMethods(inst, settings, sites, diagnostics));
        } else {
            // anonymous classes, not lambdas, on the start-up path (see AgentRuntime)
            ObservedClassFilter filter = new ObservedClassFilter(settings,
                    new java.util.function.Supplier<java.lang.instrument.ClassFileTransformer>() {
                        @Override
                        public java.lang.instrument.ClassFileTransformer get() {
                            return ByteBuddyHooks.methodTransformer(settings, sites, diagnostics);
                        }
                    });
            inst.addTransformer(filter, true);
            installation.undo.add(new Runnable() {
                @Override
                public void run() {
                    inst.removeTransformer(filter);
                }
            });
        }
        return installation;
    }
}
