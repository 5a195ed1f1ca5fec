package dev.argus.agent;

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

import dev.argus.agent.bridge.ArgusBridge;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

import static net.bytebuddy.matcher.ElementMatchers.is;

/**
 * Everything that needs Byte Buddy's {@code AgentBuilder}, kept apart so that premain runs without
 * loading it: the advice around observed methods.
 */
final class ByteBuddyHooks {
    private ByteBuddyHooks() {
    }

    /** The observed-method transformer, not registered (premain: {@link ObservedClassFilter} calls it). */
    static ClassFileTransformer methodTransformer(AgentSettings settings, MethodSites sites,
                                                  ArgusDiagnostics diagnostics) {
        return methodHook(settings, sites, diagnostics)
                .with(AgentBuilder.RedefinitionStrategy.DISABLED)
                .makeRaw();
    }

    /** Registers the observed-method transformer and retransforms matching loaded classes (attach). */
    static Runnable installMethods(Instrumentation inst, AgentSettings settings, MethodSites sites,
                                   ArgusDiagnostics diagnostics) {
        ResettableClassFileTransformer t = methodHook(settings, sites, diagnostics)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .installOn(inst);
        return () -> t.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
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

    private static AgentBuilder methodHook(AgentSettings settings, MethodSites sites,
                                                   ArgusDiagnostics diagnostics) {
        ElementMatcher.Junction<MethodDescription> observed =
                Matchers.observedMethods(settings.annotations, settings.methods);
        Class<?> adviceClass = settings.captureArgs ? ObservedWithArgsAdvice.class : ObservedAdvice.class;
        TypeDescription advice = describe(adviceClass);
        ClassFileLocator adviceLocator = locator(adviceClass);
        return base(diagnostics, new AtomicBoolean())
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
