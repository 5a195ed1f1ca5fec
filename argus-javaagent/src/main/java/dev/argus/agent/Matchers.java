package dev.argus.agent;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotation;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Decides which types are never touched and which methods are observed: methods carrying one of
 * the configured annotations (compared by name, so the annotation class need not be loadable) and
 * methods listed by class and name.
 */
final class Matchers {

    private Matchers() {
    }

    /**
     * Types the agent never transforms: Argus itself (its relocated copies included, they live
     * under {@code dev.argus.agent.shaded}), the JDK, synthetic types and annotations.
     */
    static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
        ElementMatcher.Junction<TypeDescription> m = isSynthetic().or(isAnnotation());
        for (String prefix : ObservedClassFilter.IGNORED_PREFIXES) {
            m = m.or(nameStartsWith(prefix.replace('/', '.')));
        }
        return m;
    }

    /** Methods to observe. */
    static ElementMatcher.Junction<MethodDescription> observedMethods(List<String> annotations,
                                                                     Map<String, List<String>> listed) {
        return isMethod().and(not(isAbstract())).and(not(isNative())).and(not(isBridge()))
                .and(new ElementMatcher.Junction.AbstractBase<MethodDescription>() {
                    @Override
                    public boolean matches(MethodDescription m) {
                        return observingAnnotation(m, annotations) != null
                                || isListed(m, listed);
                    }
                });
    }

    /** Types that declare at least one observed method. */
    static ElementMatcher.Junction<TypeDescription> observedTypes(List<String> annotations,
                                                                 Map<String, List<String>> listed) {
        return not(ignoredTypes()).and(declaresMethod(observedMethods(annotations, listed)));
    }

    /** The first of {@code annotations} present on {@code m}, or null. */
    static AnnotationDescription observingAnnotation(MethodDescription m, List<String> annotations) {
        for (AnnotationDescription a : m.getDeclaredAnnotations()) {
            if (annotations.contains(a.getAnnotationType().getName())) {
                return a;
            }
        }
        return null;
    }

    private static boolean isListed(MethodDescription m, Map<String, List<String>> listed) {
        if (listed.isEmpty()) {
            return false;
        }
        List<String> names = listed.get(m.getDeclaringType().asErasure().getName());
        return names != null && names.contains(m.getName());
    }
}
