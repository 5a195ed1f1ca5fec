package dev.argus.service.storage;

import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.agents.SessionStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * The session store on the writer's connection, inside the transaction the writer has open (the
 * event's, or a writer task's): an event and the session state it changes commit together. SQL
 * failures surface as {@link SessionStorageException}. Writer thread only.
 */
public interface WriterSessionStore extends SessionStore {
    /** Opens the store on a writer connection (a {@link Storage#sessionStore}). */
    @FunctionalInterface
    interface Factory {
        WriterSessionStore open(Connection writerTx);
    }

    /** Whether this store works on {@code c} (the writer reopens its connection after a failure). */
    boolean uses(Connection c);

    /** Whether {@code taskId} names a task (SPEC §13). */
    boolean taskExists(String taskId);

    /**
     * Records the lifecycle messages this transaction derived for the other instances' live
     * streams ({@link LiveJournal}), after event {@code afterEventId} (0: none). Nothing to do
     * on a database of one instance.
     */
    default void journal(long afterEventId, List<LifecycleMessage> messages) {
    }

    /** A writer task (its own transaction, through {@link WriteRunner}) that works on the sessions. */
    static <T> WriteTask<T> task(Factory stores, Function<WriterSessionStore, T> work) {
        return c -> {
            try {
                return work.apply(stores.open(c));
            } catch (SessionStorageException e) {
                throw (SQLException) e.getCause();
            }
        };
    }
}
