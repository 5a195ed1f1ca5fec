package dev.argus.agent;

import dev.argus.client.ArgusDiagnostics;
import dev.argus.client.ArgusEvent;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * In-process agent tests: Byte Buddy attaches to this JVM, the class under test is loaded in a
 * fresh class loader, and the transformers are removed again in {@code finally}.
 */
class InstrumentationTest {
    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
    private static final ArgusDiagnostics DIAGNOSTICS = new ArgusDiagnostics() {
        @Override
        public void warn(String message, Throwable error) {
            WARNINGS.add(message + (error == null ? "" : ": " + error));
        }

        @Override
        public void info(String message) {
        }
    };
    private static Instrumentation inst;

    @BeforeAll
    static void attach() {
        inst = ByteBuddyAgent.install();
    }

    private static AgentSettings settings(String args) {
        return AgentSettings.resolve(args, new Properties(), Map.of());
    }

    private static AgentInstaller.Installation install(String args, RecordingSink sink) throws Exception {
        return AgentInstaller.install(inst, settings(args), new Events("test-session"), sink, DIAGNOSTICS, false);
    }

    /** Loads com.acme.agenttest.* itself (child first) so each test sees a freshly defined class. */
    private static Class<?> freshTarget() throws Exception {
        URL classes = InstrumentationTest.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader loader = new URLClassLoader(new URL[] {classes}, InstrumentationTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("com.acme.agenttest.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        };
        return Class.forName("com.acme.agenttest.Target", true, loader);
    }

    private static Object call(Object target, String method, Object... args) throws Throwable {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    void observedMethodsAreReportedWithDurationAndOutcome() throws Throwable {
        RecordingSink sink = new RecordingSink();
        try (AgentInstaller.Installation ignored = install("errors=false", sink)) {
            Object target = freshTarget().getConstructor().newInstance();
            assertThat(call(target, "twice", 21)).isEqualTo(42);
            assertThatThrownBy(() -> call(target, "fails")).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(call(target, "named", "book", 2L)).isEqualTo("book2");
            assertThat(call(target, "notObserved")).isEqualTo(4);
        }

        ArgusEvent ok = sink.enqueued("twice").get(0);
        assertThat(ok.eventType()).isEqualTo("method");
        assertThat(ok.level()).isEqualTo("info");
        assertThat(ok.sessionId()).isEqualTo("test-session");
        assertThat(ok.data()).containsEntry("class", "com.acme.agenttest.Target")
                .containsEntry("method", "twice").containsEntry("name", "Target.twice")
                .containsEntry("outcome", "ok").doesNotContainKey("arguments").doesNotContainKey("exception");
        assertThat((Long) ok.data().get("duration_ns")).isPositive();

        ArgusEvent failed = sink.enqueued("fails").get(0);
        assertThat(failed.level()).isEqualTo("error");
        assertThat(failed.data()).containsEntry("outcome", "error");
        @SuppressWarnings("unchecked")
        Map<String, Object> exception = (Map<String, Object>) failed.data().get("exception");
        assertThat(exception).containsEntry("class", "java.lang.IllegalStateException").containsEntry("message", "boom");

        ArgusEvent named = sink.enqueued("named").get(0);
        assertThat(named.eventType()).isEqualTo("business.step");
        assertThat(named.data()).containsEntry("name", "checkout");

        assertThat(sink.enqueued("notObserved")).isEmpty();
        assertThat(sink.enqueued).hasSize(3);
        assertThat(sink.sent).isEmpty();
    }

    @Test
    void configuredAnnotationNamesAndListedMethodsAreObserved() throws Throwable {
        RecordingSink sink = new RecordingSink();
        String args = "errors=false,annotations=io.opentelemetry.instrumentation.annotations.WithSpan,"
                + "methods=com.acme.agenttest.Target[listed],methodMode=sync";
        try (AgentInstaller.Installation ignored = install(args, sink)) {
            Object target = freshTarget().getConstructor().newInstance();
            call(target, "withSpan");
            call(target, "listed");
            call(target, "notObserved");
        }
        assertThat(sink.enqueued).isEmpty();
        assertThat(sink.sent).extracting(e -> e.data().get("method")).containsExactly("withSpan", "listed");
        assertThat(sink.sent.get(0).data()).containsEntry("name", "span-name");
        assertThat(sink.sent.get(1).data()).containsEntry("name", "Target.listed");
    }

    @Test
    void withoutConfigurationOtherAnnotationsAreIgnored() throws Throwable {
        RecordingSink sink = new RecordingSink();
        try (AgentInstaller.Installation ignored = install("errors=false", sink)) {
            call(freshTarget().getConstructor().newInstance(), "withSpan");
        }
        assertThat(sink.enqueued).isEmpty();
    }

    @Test
    void argumentsAreRecordedOnlyWhenEnabledAndTruncated() throws Throwable {
        RecordingSink sink = new RecordingSink();
        try (AgentInstaller.Installation ignored = install("errors=false,captureArgs=true,maxArgLength=5", sink)) {
            Class<?> type = freshTarget();
            call(type.getConstructor().newInstance(), "named", "abcdefghij", 7L);
        }
        assertThat(sink.enqueued("named").get(0).data().get("arguments"))
                .isEqualTo(List.of("abcde…(10 chars)", "7"));
    }

    @Test
    void theAgentDoesNotObserveCallsMadeWhileItReports() throws Throwable {
        RecordingSink sink = new RecordingSink();
        try (AgentInstaller.Installation ignored = install("errors=false,captureArgs=true", sink)) {
            Class<?> type = freshTarget();
            Object target = type.getConstructor().newInstance();
            // the argument's toString calls another observed method while the agent records the call
            Object argument = new Object() {
                @Override
                public String toString() {
                    try {
                        return "inner:" + call(target, "twice", 1);
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            call(null, type, "accept", argument);
        }
        assertThat(sink.enqueued).extracting(e -> e.data().get("method")).containsExactly("accept");
        assertThat(sink.enqueued.get(0).data().get("arguments")).isEqualTo(List.of("inner:2"));
    }

    private static Object call(Object ignored, Class<?> type, String method, Object arg) throws Throwable {
        return type.getMethod(method, Object.class).invoke(null, arg);
    }

    @Test
    void argusOwnPackagesAreNeverInstrumented() {
        assertThat(Matchers.ignoredTypes().matches(
                net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(ObservedInArgusPackage.class))).isTrue();
        assertThat(Matchers.ignoredTypes().matches(
                net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(String.class))).isTrue();
        assertThat(Matchers.observedTypes(List.of(AgentSettings.OBSERVED), Map.of()).matches(
                net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(ObservedInArgusPackage.class))).isFalse();
    }

    /** An @Observed method inside dev.argus: the agent must leave it alone. */
    static class ObservedInArgusPackage {
        @dev.argus.annotations.Observed
        void work() {
        }
    }

    @Test
    void uncaughtExceptionsAreReportedBeforeTheApplicationsHandlerRuns() throws Exception {
        RecordingSink sink = new RecordingSink();
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (AgentInstaller.Installation installation = install("", sink)) {
            installation.hookThreads();
            assertThat(installation.threadHooked()).isTrue();
            assertThat(installation.threadHookViaAsm()).as("patched without ASM").isFalse();
            // installed after the agent: must still run, and the event must still be reported first
            Thread.setDefaultUncaughtExceptionHandler((t, e) -> handled.add(t.getName() + ":" + e.getMessage()
                    + ":reported=" + sink.sent.size()));
            Thread worker = new Thread(() -> {
                throw new IllegalArgumentException("worker failed");
            }, "worker-7");
            worker.start();
            worker.join(30_000);

            Thread own = new Thread(() -> {
                throw new IllegalStateException("own handler");
            }, "worker-8");
            own.setUncaughtExceptionHandler((t, e) -> handled.add("own:" + e.getMessage()));
            own.start();
            own.join(30_000);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(original);
        }
        assertThat(handled).containsExactly("worker-7:worker failed:reported=1", "own:own handler");
        assertThat(sink.sent).hasSize(2);
        ArgusEvent event = sink.sent.get(0);
        assertThat(event.eventType()).isEqualTo("error");
        assertThat(event.level()).isEqualTo("error");
        assertThat(event.message()).isEqualTo("Exception in thread \"worker-7\" java.lang.IllegalArgumentException: worker failed");
        assertThat(event.data()).containsEntry("thread", "worker-7");
        @SuppressWarnings("unchecked")
        Map<String, Object> exception = (Map<String, Object>) event.data().get("exception");
        assertThat(exception).containsEntry("class", "java.lang.IllegalArgumentException")
                .containsEntry("message", "worker failed");
        assertThat((List<?>) exception.get("stack_trace")).isNotEmpty();
        assertThat(sink.sent.get(1).data()).containsEntry("thread", "worker-8");
        assertThat(WARNINGS).isEmpty();
    }

    @Test
    void afterCloseNothingIsReported() throws Throwable {
        RecordingSink sink = new RecordingSink();
        Class<?> type;
        try (AgentInstaller.Installation installation = install("", sink)) {
            installation.hookThreads();
            type = freshTarget();
        }
        call(type.getConstructor().newInstance(), "twice", 1);
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        try {
            Thread.setDefaultUncaughtExceptionHandler((t, e) -> { });
            Thread worker = new Thread(() -> {
                throw new IllegalStateException("late");
            });
            worker.start();
            worker.join(30_000);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(original);
        }
        assertThat(sink.enqueued).isEmpty();
        assertThat(sink.sent).isEmpty();
    }

    @Test
    void attachingRetransformsClassesLoadedBefore() throws Throwable {
        RecordingSink sink = new RecordingSink();
        Class<?> type = freshTarget();
        Object target = type.getConstructor().newInstance();
        call(target, "twice", 1);
        try (AgentInstaller.Installation ignored = AgentInstaller.install(inst, settings("errors=false"),
                new Events("s"), sink, DIAGNOSTICS, true)) {
            call(target, "twice", 2);
        }
        assertThat(sink.enqueued("twice")).hasSize(1);
    }

    @Test
    void fallbackHandlerReportsAndChainsToThePreviousHandler() throws Exception {
        RecordingSink sink = new RecordingSink();
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        List<String> handled = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler app = (t, e) -> handled.add(e.getMessage());
        Thread.setDefaultUncaughtExceptionHandler(app);
        try {
            try (AgentInstaller.Installation installation = install("", sink)) {
                installation.installFallbackHandler();
                Thread worker = new Thread(() -> {
                    throw new IllegalStateException("via fallback");
                }, "fallback-thread");
                worker.start();
                worker.join(30_000);
            }
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(app);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(original);
        }
        assertThat(sink.sent).extracting(ArgusEvent::message)
                .containsExactly("Exception in thread \"fallback-thread\" java.lang.IllegalStateException: via fallback");
        assertThat(handled).containsExactly("via fallback");
    }

    /** Patches a test class with {@code patcher}, defines it (verified), calls dispatch with each message. */
    private static Object patchedFake(String name, java.util.function.UnaryOperator<byte[]> patcher,
                                      RecordingSink sink, String... messages) throws Throwable {
        byte[] original;
        try (java.io.InputStream in = InstrumentationTest.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            original = in.readAllBytes();
        }
        byte[] patched = patcher.apply(original);
        assertThat(patched).isNotNull();
        ClassLoader loader = new ClassLoader(InstrumentationTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, patched, 0, patched.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        Object fake;
        try (AgentInstaller.Installation ignored = install("errors=false", sink)) {
            fake = Class.forName(name, true, loader).getConstructor().newInstance();
            for (String m : messages) {
                fake.getClass().getMethod("dispatch", Throwable.class).invoke(fake, new IllegalStateException(m));
            }
        }
        return fake.getClass().getField("seen").get(fake);
    }

    @Test
    void threadPatchStaysValidWhenTheMethodStartsWithALoop() throws Throwable {
        RecordingSink sink = new RecordingSink();
        Object seen = patchedFake("com.acme.agenttest.FakeThread", ThreadPatch::patch, sink, "x");
        assertThat(seen).isEqualTo(List.of("x", "x"));
        assertThat(sink.sent).extracting(ArgusEvent::message)
                .containsExactly("Exception in thread \"fake-thread\" java.lang.IllegalStateException: x");
    }

    @Test
    void asmFallbackPatchStaysValidWhenTheMethodStartsWithALoop() throws Throwable {
        RecordingSink sink = new RecordingSink();
        Object seen = patchedFake("com.acme.agenttest.FakeThread", AsmThreadPatch::patch, sink, "x");
        assertThat(seen).isEqualTo(List.of("x", "x"));
        assertThat(sink.sent).hasSize(1);
    }

    @Test
    void handWrittenPatchMovesExceptionTableFramesAndSwitchesAlong() throws Throwable {
        RecordingSink sink = new RecordingSink();
        Object seen = patchedFake("com.acme.agenttest.FakeThreadBranches", ThreadPatch::patch, sink,
                "12", "abc", "", "7777");
        assertThat(seen).isEqualTo(List.of("two", "12", "21", "three", "nan", "cba", "many", "nan", "ytpme",
                "many", "7777", "7777"));
        assertThat(sink.sent).extracting(ArgusEvent::message).containsExactly(
                "Exception in thread \"fake-branches\" java.lang.IllegalStateException: 12",
                "Exception in thread \"fake-branches\" java.lang.IllegalStateException: abc",
                "Exception in thread \"fake-branches\" java.lang.IllegalStateException: ",
                "Exception in thread \"fake-branches\" java.lang.IllegalStateException: 7777");
    }

    @Test
    void handWrittenPatchUnderstandsThisJdksThreadAndSkipsWhatItCannotPatch() throws Exception {
        byte[] thread;
        try (java.io.InputStream in = Object.class.getResourceAsStream("/java/lang/Thread.class")) {
            thread = in.readAllBytes();
        }
        byte[] patched = ThreadPatch.patch(thread);
        assertThat(patched).isNotNull();
        assertThat(patched.length).isGreaterThan(thread.length);
        // the bridge call is in the new constant pool
        assertThat(new String(patched, java.nio.charset.StandardCharsets.ISO_8859_1)).contains(ThreadPatch.BRIDGE);
        // no such method, not a class file, cut short: null (the caller then tries ASM or the handler)
        byte[] object;
        try (java.io.InputStream in = Object.class.getResourceAsStream("/java/lang/Object.class")) {
            object = in.readAllBytes();
        }
        assertThat(ThreadPatch.patch(object)).isNull();
        assertThat(ThreadPatch.patch(new byte[] {1, 2, 3})).isNull();
        assertThat(ThreadPatch.patch(java.util.Arrays.copyOf(thread, thread.length / 2))).isNull();
    }

    @Test
    void classesWithoutObservedMethodsNeverReachByteBuddy() {
        AgentSettings s = settings("methods=com.acme.Listed[run]");
        int[] created = new int[1];
        ObservedClassFilter filter = new ObservedClassFilter(s, () -> {
            created[0]++;
            return null;
        });
        ClassLoader app = getClass().getClassLoader();
        byte[] plain = "\u00ca\u00fe plain class Lcom/acme/Other;".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] annotated = "xx Ldev/argus/annotations/Observed; yy".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(filter.isCandidate(app, "com/acme/Other", plain)).isFalse();
        assertThat(filter.isCandidate(app, "com/acme/Listed", plain)).isTrue();
        assertThat(filter.isCandidate(app, "com/acme/Service", annotated)).isTrue();
        assertThat(filter.isCandidate(app, "dev/argus/x/Service", annotated)).isFalse();
        assertThat(filter.isCandidate(null, "com/acme/Service", annotated)).isFalse();
        assertThat(filter.isCandidate(app, null, annotated)).isFalse();
        assertThat(created[0]).isZero();
    }
}
