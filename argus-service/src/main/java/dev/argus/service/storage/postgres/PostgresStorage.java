package dev.argus.service.storage.postgres;

import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.storage.Storage;
import dev.argus.service.storage.WriteRunner;
import dev.argus.service.storage.WriterSessionStore;
import dev.argus.service.storage.jdbc.JdbcEventReader;
import dev.argus.service.storage.jdbc.JdbcSessionReader;
import dev.argus.service.storage.jdbc.JdbcSessionStore;
import dev.argus.service.storage.jdbc.JdbcUpdateReader;
import dev.argus.service.storage.jdbc.JdbcWorkStore;
import dev.argus.service.storage.jdbc.SqlDialect;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL store (docs/postgres.md) and the one owner of its connection settings: the
 * migrations of {@code classpath:db/postgresql}, the writer connection, the read pool and
 * maintenance connections. Every connection has a connect timeout, a socket timeout below
 * {@code database.writeTimeoutSeconds} and TCP keep-alive, so an unreachable or restarting database
 * fails requests with 503 instead of hanging them.
 */
public final class PostgresStorage implements Storage {
    private final String url;
    private final String user;
    private final String password;
    private final int socketTimeoutSeconds;
    private final PgEventWriter writer;
    private final PgRetentionStore retention;
    /** This process among the instances sharing the database (its lifecycle journal entries). */
    private final String instance = UUID.randomUUID().toString();
    private volatile Jdbi pooledReads;

    public PostgresStorage(DatabaseConfig config) {
        this.url = config.getUrl().strip();
        this.user = config.getUser();
        this.password = config.getPassword();
        // Bounded, and below the engine's own wait so a hung socket is answered by the store first.
        this.socketTimeoutSeconds = Math.max(5, Math.min(30, config.getWriteTimeoutSeconds() - 5));
        this.writer = new PgEventWriter(this);
        this.retention = new PgRetentionStore(this, writer);
    }

    /** Driver properties of every connection (no password here: see {@link #properties()}). */
    Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("connectTimeout", "10");
        m.put("socketTimeout", Integer.toString(socketTimeoutSeconds));
        m.put("loginTimeout", "10");
        m.put("tcpKeepAlive", "true");
        m.put("reWriteBatchedInserts", "true");
        m.put("ApplicationName", "argus");
        return m;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.putAll(settings());
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /** A new plain connection (autocommit on). */
    Connection connect() throws SQLException {
        return PgText.nulSafe(DriverManager.getConnection(url, properties()));
    }

    /**
     * A new connection for the writer: autocommit off, a lock wait bounded below the socket timeout
     * (a transaction waiting for the cluster-wide writer lock gives up with an error, never hangs),
     * and a bound on a transaction left idle by a stuck instance (it would hold the lock).
     */
    Connection openWriter() throws SQLException {
        Connection c = connect();
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '" + (socketTimeoutSeconds - 2) + "s'");
                s.execute("SET idle_in_transaction_session_timeout = '60s'");
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A short-lived autocommit connection for scans, counts and VACUUM. */
    Connection openMaintenance() throws SQLException {
        return connect();
    }

    @Override
    public void migrate() {
        // Flyway takes a PostgreSQL advisory lock: instances starting together migrate one at a time.
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/postgresql")
                .load()
                .migrate();
    }

    @Override
    public PgEventWriter writer() {
        return writer;
    }

    @Override
    public JdbcEventReader reader(Environment env, int readPoolSize) {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.postgresql.Driver");
        f.setUrl(url);
        f.setUser(user);
        f.setPassword(password);
        f.setInitialSize(1);
        f.setMinSize(1);
        f.setMaxSize(readPoolSize);
        f.setValidationQuery("SELECT 1");
        f.setCheckConnectionOnBorrow(true);
        f.setProperties(settings());
        // the pool's connections wrapped like connect()'s: readers also bind through getConnection()
        Jdbi reads = new JdbiFactory() {
            @Override
            protected Jdbi newInstance(ManagedDataSource dataSource) {
                return Jdbi.create(() -> PgText.nulSafe(dataSource.getConnection()));
            }
        }.build(env, f, "postgres-read");
        this.pooledReads = reads;
        return new JdbcEventReader(reads, SqlDialect.POSTGRES);
    }

    /** A reader on plain connections opened per use (tests and tools without a server). */
    public JdbcEventReader unpooledReader() {
        return new JdbcEventReader(Jdbi.create(this::connect), SqlDialect.POSTGRES);
    }

    private Jdbi reads() {
        if (pooledReads == null) {
            throw new IllegalStateException("build the reader first");
        }
        return pooledReads;
    }

    @Override
    public JdbcWorkStore workStore(WriteRunner runner) {
        return new JdbcWorkStore(runner, reads(), writer::lockIds, liveJournal().work());
    }

    @Override
    public JdbcSessionReader sessionReader() {
        return new JdbcSessionReader(reads());
    }

    @Override
    public JdbcUpdateReader updateReader() {
        return new JdbcUpdateReader(reads());
    }

    @Override
    public PgRetentionStore retention() {
        return retention;
    }

    @Override
    public WriterSessionStore sessionStore(Connection writerTx) {
        return new PgLiveJournal.Writing(new JdbcSessionStore(writerTx, writer::lockIds), writerTx,
                writer::lockIds, instance);
    }

    /** The lifecycle messages of every instance on this database (the commit tail reads the others'). */
    @Override
    public PgLiveJournal liveJournal() {
        return new PgLiveJournal(reads(), instance);
    }

    /** No local file: the disk guard is not installed (docs/postgres.md). */
    /** {@code LISTEN argus_events} on a connection of its own (the live streams' commit tail). */
    @Override
    public PgCommitSignals commitSignals() {
        return new PgCommitSignals(url, user, password);
    }

    @Override
    public Path localFolder() {
        return null;
    }

    /** The URL without its query (which may carry credentials). */
    @Override
    public String describeLocation() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
