package dev.argus.service.core;

/** {@code auth.mode} (SPEC §13.3): whether reads need a key. */
public enum AuthMode {
    /** Every API route needs a key (the default). */
    STRICT,
    /** Reads (GET, SSE) need no key; writes still do. */
    RELAXED
}
