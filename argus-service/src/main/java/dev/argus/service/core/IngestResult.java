package dev.argus.service.core;

/** Per-event outcome of a write: the id and whether it was an earlier event with the same uuid. */
public record IngestResult(long[] ids, boolean[] duplicate) {
}
