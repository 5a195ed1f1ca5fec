package dev.argus.service.storage.sqlite;

import dev.argus.service.storage.jdbc.JdbcEventReader;
import dev.argus.service.storage.jdbc.SqlDialect;
import org.jdbi.v3.core.Jdbi;

/** The event reader on SQLite: the shared SQL, with the text-filter function registered on each read connection. */
public final class SqliteEventReader extends JdbcEventReader {
    public SqliteEventReader(Jdbi jdbi) {
        super(jdbi.installPlugin(new TextFunctions()), SqlDialect.SQLITE);
    }
}
