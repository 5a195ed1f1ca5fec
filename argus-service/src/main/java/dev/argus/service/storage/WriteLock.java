package dev.argus.service.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Taken by writer-side work before it reads state it is going to change (sessions, tasks), in the
 * writer's open transaction. SQLite has one writer connection and needs nothing; on PostgreSQL it is
 * the cluster-wide row lock of {@code event_ids}, so that derived state is changed by one
 * transaction at a time across every instance, as SQLite's single writer does (docs/postgres.md).
 */
@FunctionalInterface
public interface WriteLock {
    WriteLock NONE = c -> { };

    /** Takes the lock for the transaction open on {@code c} (a no-op when this transaction holds it). */
    void acquire(Connection c) throws SQLException;
}
