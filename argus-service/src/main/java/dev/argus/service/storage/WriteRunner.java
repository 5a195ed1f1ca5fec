package dev.argus.service.storage;

import dev.argus.service.core.StorageException;

/**
 * Runs a {@link WriteTask} on the single writer in its own transaction and returns after the
 * commit. The ingest engine implements it; stores that write take it instead of the engine, so
 * storage does not depend on the ingest package.
 */
@FunctionalInterface
public interface WriteRunner {
    <T> T execute(WriteTask<T> task) throws StorageException;
}
