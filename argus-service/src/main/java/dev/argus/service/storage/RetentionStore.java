package dev.argus.service.storage;

import dev.argus.service.core.StorageException;

import java.util.List;

/**
 * The storage side of retention and of small bookkeeping. Work that writes is handed out as a
 * {@link WriteTask} for the caller to run on the writer thread (one short transaction each), so
 * that ingest waits at most for one chunk; scans run on a maintenance connection of their own.
 */
public interface RetentionStore {
    /** One chunk's outcome: rows deleted and whether older rows may remain. */
    record Chunk(int deleted, boolean more) {
    }

    /** A discovery pair ({@code source}, {@code event_type}) that had no event at the time of a scan. */
    record UnusedType(String source, String eventType) {
    }

    /** The result of {@link #scanUnusedTypes()}: candidates and the newest event id the scan saw. */
    record UnusedTypes(List<UnusedType> pairs, long scannedUpTo) {
    }

    /**
     * Deletes the oldest events received before {@code cutoffMicros}, at most {@code rows} of them
     * (an id prefix: {@code received_at} grows with {@code id}).
     */
    WriteTask<Chunk> deleteChunk(long cutoffMicros, int rows);

    /** Finds discovery pairs without any event (a read on a maintenance connection). */
    UnusedTypes scanUnusedTypes() throws StorageException;

    /**
     * Deletes the candidates that still have no event newer than the scan, and has the writer
     * reload its discovery cache before its next transaction.
     */
    WriteTask<Integer> deleteUnusedTypes(UnusedTypes candidates);

    /** Page size in bytes. */
    WriteTask<Long> pageSize();

    /** Whether free pages can be given back to the file system incrementally. */
    WriteTask<Boolean> incrementalVacuumEnabled();

    /** Gives back up to {@code pages} free pages; returns the pages freed (0 when none were free). */
    WriteTask<Long> incrementalVacuum(int pages);

    /**
     * A passive WAL checkpoint from a maintenance connection; run it as a writer task, so that no
     * commit lands during it.
     */
    WriteTask<Void> checkpoint();

    /** Number of stored events (a read on a maintenance connection). */
    long countEvents() throws StorageException;

    /** Bytes of the database file(s) on disk. */
    long fileBytes();

    /** A value of the store's key/value bookkeeping, or null. */
    WriteTask<String> getMeta(String key);

    /** Sets a value of the store's key/value bookkeeping. */
    WriteTask<Void> putMeta(String key, String value);
}
