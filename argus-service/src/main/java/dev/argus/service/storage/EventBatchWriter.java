package dev.argus.service.storage;

import dev.argus.service.core.IngestResult;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StoredEvent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The writer's side of the store, used only on the writer thread: one connection, one
 * transaction at a time. The group-commit writer calls {@link #begin()}, then {@link #insert}
 * and any other work on {@link #connection()}, then {@link #commit()}; after any failure it calls
 * {@link #abort()}, which must leave nothing of the failed transaction stored.
 */
public interface EventBatchWriter extends AutoCloseable {
    /** What one {@link #insert} did: the answer of each request and the rows newly stored, in id order. */
    record Inserted(List<IngestResult> results, List<StoredEvent> stored, int duplicates) {
    }

    /** Opens the connection and loads the caches (id counter, discovery pairs) from the database. */
    void open() throws SQLException;

    /**
     * Brings the connection to where a transaction may start: reopened if a failure closed it,
     * leftovers of a failed commit removed, limits and caches current.
     *
     * @return the connection of the transaction that starts now
     */
    Connection begin() throws SQLException;

    /**
     * Inserts the requests' events in the open transaction: ids assigned in order, a uuid stored
     * before or earlier in this batch answered as a duplicate with its first id, discovery pairs
     * recorded.
     */
    Inserted insert(List<List<NewEvent>> requests, long receivedMicros) throws SQLException;

    /** Commits the open transaction; the caches take what it wrote. */
    void commit() throws SQLException;

    /**
     * The open transaction failed: the connection is not trusted (it is closed and opened again,
     * which reloads every cache), and ids this transaction assigned are verified absent (removed if
     * a failed commit reached the file) before any other write. Never throws.
     */
    void abort();

    /**
     * Called on the writer thread when every request it took has been answered and no transaction
     * is open: housekeeping that must not delay an answer (SQLite finishes a WAL checkpoint here).
     * Never throws.
     */
    default void betweenTransactions() {
    }

    /** Forgets the cached discovery pairs; they are reloaded before the next transaction. Never blocks. */
    void forgetKnownTypes();

    /** The id of the newest committed event (0 when none); readable from any thread. */
    long lastCommittedId();

    /** A failure of this store in words a user can act on (no driver internals). */
    String describe(Throwable failure);

    /** Closes the connection (rolling back what is open). Never throws. */
    @Override
    void close();
}
