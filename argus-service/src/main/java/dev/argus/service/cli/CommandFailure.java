package dev.argus.service.cli;

/** A command ended unsuccessfully; {@link #getMessage()} is the one line shown to the user (exit status 1). */
public final class CommandFailure extends RuntimeException {
    private final boolean quiet;

    public CommandFailure(String message) {
        this(message, false);
    }

    public CommandFailure(String message, boolean quiet) {
        super(message, null, false, false);
        this.quiet = quiet;
    }

    /** Whether the user asked for no output at all ({@code --quiet}). */
    public boolean quiet() {
        return quiet;
    }
}
