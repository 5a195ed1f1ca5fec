package dev.argus.service.tasks;

import dev.argus.service.core.StorageException;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.storage.RetentionStore;
import dev.argus.service.storage.WriteTask;

import java.util.function.LongConsumer;

/**
 * Retention's pacing: deletes events oldest-first in short chunks, prunes the discovery table and
 * reclaims free pages. The SQL is the store's ({@link RetentionStore}); every write goes through
 * {@link IngestEngine#execute}, one chunk per call, so ingest waits at most for one chunk; scans
 * run on the store's maintenance connection and never hold up the writer.
 */
public final class EventPurger {
    /** What one chunk (work plus commit on the writer) should take: ingest waits at most about this long. */
    public static final long TARGET_CHUNK_NANOS = 20_000_000L;

    private final RetentionStore store;
    private final IngestEngine engine;
    private final ChunkSize rows = new ChunkSize(2_000, 200, 20_000);
    private final ChunkSize vacuumPages = new ChunkSize(500, 64, 8_000);

    private final com.codahale.metrics.Timer chunkTime;

    public EventPurger(RetentionStore store, IngestEngine engine, com.codahale.metrics.MetricRegistry metrics) {
        this.store = store;
        this.engine = engine;
        this.chunkTime = metrics.timer("argus.retention.chunk-time");
    }

    /** The store this purger paces. */
    public RetentionStore store() {
        return store;
    }

    /**
     * A chunk size that follows the measured time of the previous chunk towards
     * {@link #TARGET_CHUNK_NANOS}: halves when a chunk was slow, grows by half when it was fast.
     */
    static final class ChunkSize {
        private final int min;
        private final int max;
        private volatile int current;

        ChunkSize(int initial, int min, int max) {
            this.current = initial;
            this.min = min;
            this.max = max;
        }

        int get() {
            return current;
        }

        void observe(long nanos) {
            if (nanos > TARGET_CHUNK_NANOS) {
                current = Math.max(min, current / 2);
            } else if (nanos < TARGET_CHUNK_NANOS / 2) {
                current = Math.min(max, current + current / 2);
            }
        }
    }

    /** Runs one chunk on the writer and feeds the time from its start to its commit into {@code size}. */
    private <T> T timed(ChunkSize size, dev.argus.service.storage.WriteTask<T> task) throws StorageException {
        long[] started = new long[1];
        T result = engine.execute(tx -> {
            started[0] = System.nanoTime();
            return task.run(tx);
        });
        long took = System.nanoTime() - started[0];
        size.observe(took);
        chunkTime.update(took, java.util.concurrent.TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * Deletes every event received before {@code cutoffMicros}, chunk by chunk.
     *
     * @param onChunk told the rows deleted after each committed chunk
     * @return rows deleted
     */
    public long deleteReceivedBefore(long cutoffMicros, LongConsumer onChunk) throws StorageException {
        long total = 0;
        while (true) {
            int n = rows.get();
            RetentionStore.Chunk c = timed(rows, store.deleteChunk(cutoffMicros, n));
            total += c.deleted();
            if (c.deleted() > 0) {
                onChunk.accept(c.deleted());
            }
            if (!c.more()) {
                return total;
            }
        }
    }

    /** Deletes the oldest chunk of events regardless of age; returns rows deleted (0 when the table is empty). */
    public int deleteOldestChunk() throws StorageException {
        int n = rows.get();
        return timed(rows, store.deleteChunk(Long.MAX_VALUE, n)).deleted();
    }

    /**
     * Removes discovery pairs ({@code event_types}) that no longer have any event. The scan runs
     * on its own read connection; the writer then deletes each candidate only if no event of the
     * pair arrived since the scan, and reloads its cache of known pairs before its next commit.
     *
     * @return pairs removed
     */
    public int pruneEventTypes() throws StorageException {
        RetentionStore.UnusedTypes gone = store.scanUnusedTypes();
        if (gone.pairs().isEmpty()) {
            return 0;
        }
        return engine.execute(store.deleteUnusedTypes(gone));
    }

    /** Pages and bytes given back to the file system by {@link #vacuum()}. */
    public record VacuumResult(long pages, long bytes, long fileBytesBefore, long fileBytesAfter, boolean incremental) {
    }

    /**
     * Returns free pages to the file system with {@code PRAGMA incremental_vacuum(N)} in chunks
     * (each a short write transaction, never a full {@code VACUUM}), then checkpoints the WAL
     * passively so that the database file itself is truncated.
     */
    public VacuumResult vacuum() throws StorageException {
        long before = store.fileBytes();
        long pageSize = engine.execute(store.pageSize());
        if (!engine.execute(store.incrementalVacuumEnabled())) {
            // A file created without auto_vacuum=INCREMENTAL: free pages are reused, never returned.
            return new VacuumResult(0, 0, before, before, false);
        }
        long pages = 0;
        while (true) {
            long freed = timed(vacuumPages, store.incrementalVacuum(vacuumPages.get()));
            pages += freed;
            if (freed == 0) {
                break;
            }
        }
        checkpoint();
        long after = store.fileBytes();
        return new VacuumResult(pages, pages * pageSize, before, after, true);
    }

    /**
     * A passive WAL checkpoint, so that the database file is cut to its new size, while the writer
     * holds its turn (no commit lands during it).
     */
    public void checkpoint() throws StorageException {
        engine.execute(store.checkpoint());
    }

    /** Number of stored events (a read on the store's maintenance connection). */
    public long countEvents() throws StorageException {
        return store.countEvents();
    }
}
