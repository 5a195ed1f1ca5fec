package dev.argus.service.storage.postgres;

import dev.argus.service.storage.CommitSignals;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code LISTEN argus_events} on a connection of its own (not one of the pools'): the writer of
 * every instance runs {@code pg_notify('argus_events', <last id of the commit>)} in each committing
 * transaction, so PostgreSQL delivers the notification once the commit is visible. The payload is
 * ignored (the commit tail reads the rows back by id); a notification is only a wake-up.
 */
public final class PgCommitSignals implements CommitSignals {
    /** The channel the writers notify. */
    public static final String CHANNEL = PgEventWriter.CHANNEL;
    /** A listening connection that received nothing for this long is checked with a round trip. */
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String url;
    private final Properties props;

    /** @param url the JDBC URL ({@code jdbc:postgresql://…}); {@code user}/{@code password} may be null */
    public PgCommitSignals(String url, String user, String password) {
        this.url = url;
        this.props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        // A check round trip (below) must not hang on a dead peer.
        props.setProperty("socketTimeout", "30");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "argus-commit-listen");
    }

    @Override
    public Listener open() {
        Connection c;
        try {
            c = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL: " + e.getMessage(), e);
        }
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("LISTEN " + CHANNEL);
            return new PgListener(c, c.unwrap(PGConnection.class));
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("LISTEN " + CHANNEL + " failed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // going anyway
        }
    }

    private static final class PgListener implements Listener {
        private final Connection connection;
        private final PGConnection pg;
        private long lastHeard = System.nanoTime();

        PgListener(Connection connection, PGConnection pg) {
            this.connection = connection;
            this.pg = pg;
        }

        @Override
        public boolean await(int millis) {
            try {
                PGNotification[] n = pg.getNotifications(Math.max(1, millis));
                long now = System.nanoTime();
                if (n != null && n.length > 0) {
                    lastHeard = now;
                    return true;
                }
                if (now - lastHeard >= CHECK_EVERY_NANOS) {
                    // Quiet for a while: make sure the connection is alive (a dead one never signals).
                    try (Statement s = connection.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    lastHeard = now;
                    n = pg.getNotifications();
                    return n != null && n.length > 0;
                }
                return false;
            } catch (SQLException e) {
                throw new IllegalStateException("listening connection failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            closeQuietly(connection);
        }
    }
}
