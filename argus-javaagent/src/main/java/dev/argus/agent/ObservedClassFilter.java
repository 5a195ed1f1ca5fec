package dev.argus.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Cheap pre-filter in front of Byte Buddy, registered at premain: a class reaches Byte Buddy only
 * when its bytes mention one of the configured annotations or its name is listed in
 * {@code methods}. Byte Buddy itself is loaded on the first such class, so an application with
 * nothing to observe never pays for it at start-up. Uses the JDK only.
 */
final class ObservedClassFilter implements ClassFileTransformer {

    /** Package prefixes (internal form) never instrumented: Argus and its relocated copies, the JDK. */
    static final List<String> IGNORED_PREFIXES = List.of(
            "dev/argus/", "java/", "javax/", "jdk/", "sun/", "com/sun/", "jakarta/annotation/");

    private final List<byte[]> needles = new ArrayList<>();
    private final Set<String> listed = new HashSet<>();
    private final Supplier<ClassFileTransformer> factory;
    private volatile ClassFileTransformer delegate;

    ObservedClassFilter(AgentSettings settings, Supplier<ClassFileTransformer> factory) {
        for (String annotation : settings.annotations) {
            needles.add(("L" + annotation.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8));
        }
        for (String type : settings.methods.keySet()) {
            listed.add(type.replace('.', '/'));
        }
        this.factory = factory;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) throws IllegalClassFormatException {
        if (!isCandidate(loader, className, bytes)) {
            return null;
        }
        return delegate().transform(module, loader, className, classBeingRedefined, protectionDomain, bytes);
    }

    /** True when the class may declare an observed method. */
    boolean isCandidate(ClassLoader loader, String className, byte[] bytes) {
        if (loader == null || className == null || bytes == null) {
            return false;
        }
        for (String prefix : IGNORED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        if (listed.contains(className)) {
            return true;
        }
        for (byte[] needle : needles) {
            if (contains(bytes, needle)) {
                return true;
            }
        }
        return false;
    }

    private ClassFileTransformer delegate() {
        ClassFileTransformer d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = factory.get();
                    delegate = d;
                }
            }
        }
        return d;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
