package dev.argus.agent;

import dev.argus.agent.bridge.ArgusBridge;
import dev.argus.agent.bridge.ArgusDispatcher;
import dev.argus.client.ArgusDiagnostics;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Installs the agent's transformations: the uncaught-exception hook on {@code java.lang.Thread}
 * and the advice around observed methods. Returns an {@link Installation} that undoes both.
 */
final class AgentInstaller {
    private AgentInstaller() {
    }

    /** What was installed; {@link #close()} removes the transformers and the dispatcher. */
    static final class Installation implements AutoCloseable {
        private final Instrumentation inst;
        private final ArgusDispatcher dispatcher;
        private final List<ResettableClassFileTransformer> transformers;
        /** True when {@code Thread.dispatchUncaughtException} is instrumented (not the fallback handler). */
        final boolean threadHooked;

        Installation(Instrumentation inst, ArgusDispatcher dispatcher, List<ResettableClassFileTransformer> transformers,
                     boolean threadHooked) {
            this.inst = inst;
            this.dispatcher = dispatcher;
            this.transformers = transformers;
            this.threadHooked = threadHooked;
        }

        @Override
        public void close() {
            if (ArgusBridge.dispatcher() == dispatcher) {
                ArgusBridge.install(null);
            }
            for (ResettableClassFileTransformer t : transformers) {
                t.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            }
        }
    }

    /**
     * @param retransformLoaded also instrument classes loaded before now (attach to a running JVM);
     *                          at premain no application class is loaded yet
     */
    static Installation install(Instrumentation inst, AgentSettings settings, Events events, EventSink sink,
                                ArgusDiagnostics diagnostics, boolean retransformLoaded) throws Exception {
        MethodSites sites = new MethodSites();
        AgentDispatcher dispatcher = new AgentDispatcher(sites, events, sink, settings, diagnostics);
        ArgusBridge.install(dispatcher);

        List<ResettableClassFileTransformer> transformers = new ArrayList<>();
        boolean threadHooked = false;
        if (settings.errors) {
            AtomicBoolean done = new AtomicBoolean();
            transformers.add(threadHook(diagnostics, done).installOn(inst));
            threadHooked = done.get();
            if (!threadHooked) {
                diagnostics.warn("java.lang.Thread could not be instrumented; reporting uncaught exceptions "
                        + "through the default handler instead", null);
                installDefaultHandler();
            }
        }
        if (!settings.annotations.isEmpty() || !settings.methods.isEmpty()) {
            transformers.add(methodHook(settings, sites, diagnostics, retransformLoaded).installOn(inst));
        }
        return new Installation(inst, dispatcher, transformers, threadHooked);
    }

    /**
     * Fallback when {@code java.lang.Thread} cannot be instrumented: a default handler that reports
     * and then behaves as before (the previous default handler, else the usual stderr trace).
     * It does not see handlers the application installs later.
     */
    private static void installDefaultHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            ArgusBridge.uncaught(t, e);
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        });
    }

    private static AgentBuilder base(ArgusDiagnostics diagnostics, AtomicBoolean transformed) {
        // The agent needs no loaded type initializers (class format changes are disabled), so Byte
        // Buddy's Nexus need not be injected into the system class loader: that injection costs
        // start-up time and, on Java 24+, prints sun.misc.Unsafe warnings. The property name is
        // relocated together with Byte Buddy, so the host's own Byte Buddy is not affected.
        System.setProperty(net.bytebuddy.dynamic.Nexus.PROPERTY, "true");
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED)
                        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
                .disableClassFormatChanges()
                .with(new Reporter(diagnostics, transformed));
    }

    private static AgentBuilder threadHook(ArgusDiagnostics diagnostics, AtomicBoolean transformed) {
        return base(diagnostics, transformed)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .ignore(none())
                .type(named("java.lang.Thread"))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                        Advice.to(describe(UncaughtExceptionAdvice.class), locator(UncaughtExceptionAdvice.class))
                                .on(named("dispatchUncaughtException").and(takesArguments(Throwable.class)))));
    }

    private static AgentBuilder methodHook(AgentSettings settings, MethodSites sites, ArgusDiagnostics diagnostics,
                                           boolean retransformLoaded) {
        ElementMatcher.Junction<MethodDescription> observed =
                Matchers.observedMethods(settings.annotations, settings.methods);
        Class<?> adviceClass = settings.captureArgs ? ObservedWithArgsAdvice.class : ObservedAdvice.class;
        TypeDescription advice = describe(adviceClass);
        ClassFileLocator adviceLocator = locator(adviceClass);
        return base(diagnostics, new AtomicBoolean())
                .with(retransformLoaded ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .ignore(Matchers.ignoredTypes())
                .type(Matchers.observedTypes(settings.annotations, settings.methods))
                .transform((builder, type, loader, module, pd) -> {
                    if (!seesBridge(loader)) {
                        diagnostics.warn("not observing " + type.getName()
                                + ": its class loader does not delegate to the system class loader", null);
                        return builder;
                    }
                    DynamicType.Builder<?> b = builder;
                    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods().filter(observed)) {
                        AnnotationDescription a = Matchers.observingAnnotation(m, settings.annotations);
                        int id = sites.register(MethodSite.of(m, a));
                        b = b.visit(Advice.withCustomMapping().bind(SiteId.class, id)
                                .to(advice, adviceLocator)
                                .on(is(m)));
                    }
                    return b;
                });
    }

    /** True when classes of {@code loader} link the advice's calls to this agent's bridge. */
    static boolean seesBridge(ClassLoader loader) {
        try {
            return Class.forName(ArgusBridge.NAME, false, loader) == ArgusBridge.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Reads an advice class from its class file; the advice class itself is never run. */
    private static TypeDescription describe(Class<?> advice) {
        return TypePool.Default.of(locator(advice)).describe(advice.getName()).resolve();
    }

    private static ClassFileLocator locator(Class<?> advice) {
        return ClassFileLocator.ForClassLoader.of(advice.getClassLoader());
    }

    /** Reports transformation errors instead of throwing them, and notes successful transformations. */
    private static final class Reporter extends AgentBuilder.Listener.Adapter {
        private final ArgusDiagnostics diagnostics;
        private final AtomicBoolean transformed;

        Reporter(ArgusDiagnostics diagnostics, AtomicBoolean transformed) {
            this.diagnostics = diagnostics;
            this.transformed = transformed;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            transformed.set(true);
            diagnostics.info("instrumented " + type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            diagnostics.warn("could not instrument " + typeName, error);
        }
    }
}
