package dev.argus.service.storage.sqlite;

import dev.argus.service.storage.WriteLock;
import dev.argus.service.storage.WriteRunner;
import dev.argus.service.storage.jdbc.JdbcWorkStore;
import org.jdbi.v3.core.Jdbi;

import java.util.function.LongSupplier;

/** Workstreams and tasks on SQLite: the shared store; the single writer connection needs no lock. */
public final class SqliteWorkStore extends JdbcWorkStore {
    public SqliteWorkStore(WriteRunner engine, Jdbi reads) {
        super(engine, reads, WriteLock.NONE);
    }

    SqliteWorkStore(WriteRunner engine, Jdbi reads, LongSupplier clock) {
        super(engine, reads, WriteLock.NONE, clock);
    }
}
