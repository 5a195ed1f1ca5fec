package dev.argus.service.core;

import java.time.Duration;

/**
 * At most one log entry per interval for a failure that repeats (a full disk, an unreachable
 * database): {@link #due()} is true the first time and then once the interval has passed since the
 * last time it was true. Used by one thread at a time.
 */
public final class LogEvery {
    private final long intervalNanos;
    private long last;
    private boolean logged;

    public LogEvery(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Whether to log now; when true, the interval starts again. */
    public boolean due() {
        long now = System.nanoTime();
        if (logged && now - last < intervalNanos) {
            return false;
        }
        logged = true;
        last = now;
        return true;
    }
}
