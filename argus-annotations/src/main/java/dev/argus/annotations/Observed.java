package dev.argus.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose calls the Argus Java agent reports as {@code method} events (class, method,
 * duration, outcome, exception). Without the agent the annotation does nothing.
 *
 * <p>The agent recognises the annotation by its name, so this jar is the application's only copy.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Observed {

    /** Name reported as {@code data.name}; default (empty): {@code SimpleClassName.method}. */
    String name() default "";

    /** {@code event_type} of the events; default (empty): {@code method}. */
    String eventType() default "";
}
