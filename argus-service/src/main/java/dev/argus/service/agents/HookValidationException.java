package dev.argus.service.agents;

import dev.argus.service.core.FieldError;

import java.util.List;

/** A hook request that is well-formed JSON but breaks a rule of SPEC §2/§12 (answered 422, naming the fields). */
public final class HookValidationException extends Exception {
    private final transient List<FieldError> errors;

    public HookValidationException(List<FieldError> errors) {
        super(summary(errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(e.field() == null ? "" : e.field() + " ").append(e.message());
        }
        return sb.toString();
    }
}
