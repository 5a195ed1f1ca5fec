package dev.argus.agent.bridge;

/**
 * The one entry point that instrumented code calls. Advice inlined into application classes links
 * against it through the class's own loader (which delegates to the system class loader, where
 * {@code -javaagent} jars live); {@code java.lang.Thread} reaches it by reflection, since the
 * bootstrap loader cannot see it. Putting it on the bootstrap class path instead would make every
 * HotSpot print a CDS warning and stop sharing application classes.
 *
 * <p>Holds no logic: it forwards to the dispatcher the agent installed, and does nothing before
 * that or after the agent stopped.
 */
public final class ArgusBridge {

    /** Returned by {@link #enter(int)} when the call is not observed. */
    public static final long NOT_OBSERVED = Long.MIN_VALUE;

    private static volatile ArgusDispatcher dispatcher;

    private ArgusBridge() {
    }

    /** Installs (or, with null, removes) the dispatcher that receives every call. */
    public static void install(ArgusDispatcher d) {
        dispatcher = d;
    }

    /** The installed dispatcher, or null. */
    public static ArgusDispatcher dispatcher() {
        return dispatcher;
    }

    /** Start of an observed method: a start time, or {@link #NOT_OBSERVED}. */
    public static long enter(int site) {
        ArgusDispatcher d = dispatcher;
        return d == null ? NOT_OBSERVED : d.enter(site);
    }

    /** End of an observed method; {@code args} is null unless arguments are captured. */
    public static void exit(int site, long start, Object[] args, Throwable thrown) {
        ArgusDispatcher d = dispatcher;
        if (d != null && start != NOT_OBSERVED) {
            d.exit(site, start, args, thrown);
        }
    }

    /** Name that {@code java.lang.Thread}'s advice loads reflectively. */
    public static final String NAME = "dev.argus.agent.bridge.ArgusBridge";

    /** A thread is about to hand {@code error} to its uncaught-exception handler. */
    public static void uncaught(Thread thread, Throwable error) {
        ArgusDispatcher d = dispatcher;
        if (d != null) {
            d.uncaught(thread, error);
        }
    }
}
