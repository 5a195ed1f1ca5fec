package dev.argus.service.http;

/** Who may call an endpoint (SPEC §3, §13.3). The edge decides this before any handler runs. */
public enum Access {
    /** No key: the dashboard's files, {@code /ui-config.json}, {@code /health}. */
    PUBLIC,
    /** A key with the {@code read} scope (no key at all in {@link AuthMode#RELAXED}). */
    READ,
    /** A key with the {@code ingest} scope, in every mode: no mode accepts a write without a key. */
    INGEST,
    /**
     * The handler authenticates by its own protocol: {@code /ws} by its auth message,
     * {@code /hooks/github} by the delivery's signature. The edge lets the request through.
     */
    HANDLER
}
