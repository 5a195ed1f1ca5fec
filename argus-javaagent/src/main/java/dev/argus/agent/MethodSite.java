package dev.argus.agent;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;

/** What is known at transform time about one observed method: its names and event type. */
final class MethodSite {
    static final String DEFAULT_EVENT_TYPE = "method";

    final String className;
    final String methodName;
    /** {@code data.name}: the annotation's name (or OTel-style value), else {@code Simple.method}. */
    final String name;
    final String eventType;

    MethodSite(String className, String methodName, String name, String eventType) {
        this.className = className;
        this.methodName = methodName;
        this.name = name;
        this.eventType = eventType;
    }

    /** Reads {@code name}/{@code value} and {@code eventType} from the annotation when present. */
    static MethodSite of(MethodDescription m, AnnotationDescription annotation) {
        String className = m.getDeclaringType().asErasure().getName();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String name = simple + "." + m.getName();
        String eventType = DEFAULT_EVENT_TYPE;
        if (annotation != null) {
            String configured = stringValue(annotation, "name");
            if (configured == null) {
                configured = stringValue(annotation, "value");
            }
            if (configured != null) {
                name = configured;
            }
            String type = stringValue(annotation, "eventType");
            if (type != null) {
                eventType = type;
            }
        }
        return new MethodSite(className, m.getName(), name, eventType);
    }

    /** A non-blank String attribute, or null when absent, blank, of another type or unreadable. */
    private static String stringValue(AnnotationDescription annotation, String property) {
        try {
            boolean declared = !annotation.getAnnotationType().getDeclaredMethods()
                    .filter(net.bytebuddy.matcher.ElementMatchers.named(property)
                            .and(net.bytebuddy.matcher.ElementMatchers.returns(String.class)))
                    .isEmpty();
            if (!declared) {
                return null;
            }
            AnnotationValue<?, ?> value = annotation.getValue(property);
            Object resolved = value.resolve();
            return resolved instanceof String && !((String) resolved).isBlank() ? ((String) resolved).strip() : null;
        } catch (RuntimeException | LinkageError e) {
            // the annotation's class file cannot be read: keep the defaults
            return null;
        }
    }
}
