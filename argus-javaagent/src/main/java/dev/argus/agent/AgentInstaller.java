package dev.argus.agent;

import dev.argus.agent.bridge.ArgusBridge;
import dev.argus.client.ArgusDiagnostics;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires the agent into the JVM: connects the dispatcher to the bridge and registers the
 * transformations. Loads no Byte Buddy class itself on the premain path; {@link ByteBuddyHooks}
 * is reached only when there is something to instrument.
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
        private volatile Thread.UncaughtExceptionHandler fallback;
        private Thread.UncaughtExceptionHandler fallbackPrevious;
        private volatile boolean threadHooked;

        Installation(Instrumentation inst, ArgusDiagnostics diagnostics, AgentDispatcher dispatcher) {
            this.inst = inst;
            this.diagnostics = diagnostics;
            this.dispatcher = dispatcher;
        }

        /** True once {@code Thread.dispatchUncaughtException} is instrumented. */
        boolean threadHooked() {
            return threadHooked;
        }

        /**
         * Until the thread hook is in place a default handler reports uncaught exceptions, so that
         * a program failing right at start is reported too. It chains to the previous handler, else
         * prints what the JVM would print.
         */
        void installFallbackHandler() {
            synchronized (Thread.class) {
                Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
                Thread.UncaughtExceptionHandler handler = (t, e) -> {
                    if (!threadHooked) {
                        ArgusBridge.uncaught(t, e);
                    }
                    if (previous != null) {
                        previous.uncaughtException(t, e);
                    } else if (!(e instanceof ThreadDeath)) {
                        System.err.print("Exception in thread \"" + t.getName() + "\" ");
                        e.printStackTrace(System.err);
                    }
                };
                fallback = handler;
                fallbackPrevious = previous;
                Thread.setDefaultUncaughtExceptionHandler(handler);
            }
        }

        /** Hands the default-handler slot back, unless the application has taken it meanwhile. */
        private void removeFallback() {
            synchronized (Thread.class) {
                if (fallback != null && Thread.getDefaultUncaughtExceptionHandler() == fallback) {
                    Thread.setDefaultUncaughtExceptionHandler(fallbackPrevious);
                }
                fallback = null;
                fallbackPrevious = null;
            }
        }

        /**
         * Instruments {@code java.lang.Thread} (Byte Buddy), then takes the fallback handler out.
         * Keeps (or installs) the fallback when instrumenting fails.
         */
        void hookThreads() {
            Runnable reset = ByteBuddyHooks.hookThreads(inst, diagnostics);
            if (reset == null) {
                diagnostics.warn("java.lang.Thread could not be instrumented; uncaught exceptions are reported "
                        + "through a default handler, which the application may replace", null);
                if (fallback == null) {
                    installFallbackHandler();
                }
                return;
            }
            threadHooked = true;
            undo.add(0, reset);
            removeFallback();
        }

        @Override
        public void close() {
            if (ArgusBridge.dispatcher() == dispatcher) {
                ArgusBridge.install(null);
            }
            removeFallback();
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
            ObservedClassFilter filter = new ObservedClassFilter(settings,
                    () -> ByteBuddyHooks.methodTransformer(settings, sites, diagnostics));
            inst.addTransformer(filter, true);
            installation.undo.add(() -> inst.removeTransformer(filter));
        }
        return installation;
    }
}
