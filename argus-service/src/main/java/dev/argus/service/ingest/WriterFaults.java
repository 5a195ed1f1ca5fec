package dev.argus.service.ingest;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Test-only fault injection into the writer thread (package-private; the server never sets one).
 * Lets tests make the writer fail where real storage fails, without a broken disk.
 */
interface WriterFaults {
    WriterFaults NONE = new WriterFaults() {
    };

    /**
     * The writer took {@code requests} off the queue. Runs outside every per-transaction guard:
     * an {@link Error} thrown here ends the writer thread as a JVM error would.
     */
    default void taken(int requests) {
    }

    /**
     * Inside a transaction, after its statements ran and before its commit: {@code events} rows
     * were inserted for an ingest commit, 0 for a task.
     */
    default void beforeCommit(Connection connection, int events) throws SQLException {
    }
}
