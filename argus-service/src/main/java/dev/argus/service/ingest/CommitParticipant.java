package dev.argus.service.ingest;

import dev.argus.service.core.StoredEvent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Derived state written in the same transaction as the events it derives from (sessions, task
 * touches…): called on the writer thread after a batch's events are inserted and before the
 * commit. What it returns is handed to every {@link CommitListener} after the commit, together
 * with the events. Throwing rolls back the whole batch: every request in it is answered 503 and
 * nothing of it is stored.
 */
public interface CommitParticipant {
    /**
     * @param tx the writer's open transaction (do not commit or roll back)
     * @param inserted the events newly stored in it, in id order (never empty)
     * @return messages for the listeners once committed (may be empty, never null)
     */
    List<Object> inTransaction(Connection tx, List<StoredEvent> inserted) throws SQLException;

    /** The transaction this participant took part in was rolled back: forget what it cached of it. */
    default void afterRollback() {
    }
}
