package dev.argus.service.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** Maintenance work (retention chunks, health probes) run on the writer thread in its own transaction. */
@FunctionalInterface
public interface WriteTask<T> {
    T run(Connection connection) throws SQLException;
}
