package dev.argus.agent.bridge;

/** Receives what instrumented code reports through {@link ArgusBridge}. Implementations never throw. */
public abstract class ArgusDispatcher {

    /** Start of an observed method; returns a start time or {@link ArgusBridge#NOT_OBSERVED}. */
    public abstract long enter(int site);

    /** End of an observed method that {@link #enter(int)} accepted. */
    public abstract void exit(int site, long start, Object[] args, Throwable thrown);

    /** Called on the dying thread before its uncaught-exception handler runs. */
    public abstract void uncaught(Thread thread, Throwable error);
}
