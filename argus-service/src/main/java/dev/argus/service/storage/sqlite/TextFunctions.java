package dev.argus.service.storage.sqlite;

import dev.argus.service.core.TextFold;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Registers Argus's SQL functions on each read connection, once: {@value #CONTAINS_FOLDED}{@code
 * (message, needle, ...)} is 1 when {@link TextFold#fold}{@code (message)} contains any of the
 * (already folded) needles, else 0 (also for a NULL message). The text filter of SQL and of the
 * live matcher is thus the same Java code.
 */
final class TextFunctions implements JdbiPlugin {
    static final String CONTAINS_FOLDED = "argus_contains_folded";   // the name SqlDialect.SQLITE calls

    private final Set<SQLiteConnection> registered = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public Connection customizeConnection(Connection conn) throws SQLException {
        SQLiteConnection sqlite = conn.unwrap(SQLiteConnection.class);
        if (!registered.contains(sqlite)) {
            // One instance per connection: a Function holds the state of the call in progress.
            Function.create(sqlite, CONTAINS_FOLDED, new ContainsFolded(), -1, Function.FLAG_DETERMINISTIC);
            registered.add(sqlite);
        }
        return conn;
    }

    private static final class ContainsFolded extends Function {
        @Override
        protected void xFunc() throws SQLException {
            String message = value_text(0);
            if (message != null) {
                String folded = TextFold.fold(message);
                for (int i = 1; i < args(); i++) {
                    String needle = value_text(i);
                    if (needle != null && folded.contains(needle)) {
                        result(1);
                        return;
                    }
                }
            }
            result(0);
        }
    }
}
