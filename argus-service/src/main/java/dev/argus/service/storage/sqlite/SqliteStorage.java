package dev.argus.service.storage.sqlite;

import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.storage.Storage;
import dev.argus.service.storage.WriteLock;
import dev.argus.service.storage.WriterSessionStore;
import dev.argus.service.storage.jdbc.JdbcSessionReader;
import dev.argus.service.storage.jdbc.JdbcSessionStore;
import dev.argus.service.storage.jdbc.JdbcUpdateReader;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite store and the one owner of its connection policies: creates the file's folder,
 * applies the versioned migrations (Flyway), and opens the single writer connection (WAL,
 * {@code synchronous} as configured, page cap), the read pool and maintenance connections. It
 * hands out the stores ({@link #writer()}, {@link #reader}, {@link #retention()}); nothing else in
 * the service opens a connection.
 */
public final class SqliteStorage implements Storage {
    /** SQLite's own largest {@code max_page_count} (what "no cap" means). */
    public static final long NO_PAGE_CAP = 4_294_967_294L;
    /** Bytes the WAL file is truncated to when it starts over ({@code journal_size_limit}). */
    static final long WAL_SIZE_LIMIT = 64L * 1024 * 1024;
    private volatile Jdbi pooledReads;

    private final Path path;
    private final String synchronous;
    private volatile boolean walFinishWanted;
    /**
     * One checkpoint of this database at a time in this process: SQLite answers a second one that
     * starts meanwhile with "busy" and copies nothing, so a retention checkpoint that met a
     * background pass left the file at its old size.
     */
    private final ReentrantLock checkpoints = new ReentrantLock();
    private volatile long maxPageCount;

    private final SqliteEventWriter writer;
    private final SqliteRetentionStore retention;

    public SqliteStorage(DatabaseConfig config) {
        this.path = config.resolvePath();
        this.synchronous = config.getSynchronous().toUpperCase(Locale.ROOT);
        this.maxPageCount = config.getMaxPageCount();
        this.writer = new SqliteEventWriter(this);
        this.retention = new SqliteRetentionStore(this, writer);
    }

    /** The writer's store (one per storage: it holds the writer connection and its caches). */
    @Override
    public SqliteEventWriter writer() {
        return writer;
    }

    /** Retention, vacuum and bookkeeping. */
    @Override
    public SqliteRetentionStore retention() {
        return retention;
    }

    /**
     * The reader on a pool managed by the server's lifecycle ({@code readPoolSize} connections,
     * health check {@code sqlite-read}); reads map the file instead of copying pages into a
     * private cache per connection.
     */
    @Override
    public SqliteEventReader reader(Environment env, int readPoolSize) {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.sqlite.JDBC");
        f.setUrl(jdbcUrl());
        f.setInitialSize(1);
        f.setMinSize(1);
        f.setMaxSize(readPoolSize);
        f.setValidationQuery("SELECT 1");
        f.setProperties(Map.of("busy_timeout", "10000", "cache_size", "-16384", "mmap_size", "1073741824"));
        Jdbi reads = new JdbiFactory().build(env, f, "sqlite-read");
        this.pooledReads = reads;
        return new SqliteEventReader(reads);
    }

    /** Workstreams and tasks: writes through {@code writer}, reads on the pool of {@link #reader}. */
    @Override
    public SqliteWorkStore workStore(dev.argus.service.storage.WriteRunner writer) {
        if (pooledReads == null) {
            throw new IllegalStateException("build the reader first");
        }
        return new SqliteWorkStore(writer, pooledReads);
    }

    /** Sessions and agents (and task existence), on the pool of {@link #reader}. */
    @Override
    public JdbcSessionReader sessionReader() {
        if (pooledReads == null) {
            throw new IllegalStateException("build the reader first");
        }
        return new JdbcSessionReader(pooledReads);
    }

    /** The updates (events with a task_id, SPEC §13.2), on the pool of {@link #reader}. */
    @Override
    public JdbcUpdateReader updateReader() {
        if (pooledReads == null) {
            throw new IllegalStateException("build the reader first");
        }
        return new JdbcUpdateReader(pooledReads);
    }

    /** Sessions and agents on the writer's connection (one writer connection: no lock needed). */
    @Override
    public WriterSessionStore sessionStore(Connection writerTx) {
        return new JdbcSessionStore(writerTx, WriteLock.NONE);
    }

    /** The database file's folder (the disk guard watches its free space). */
    @Override
    public Path localFolder() {
        return path.toAbsolutePath().getParent();
    }

    @Override
    public String describeLocation() {
        return path.toString();
    }

    /** A reader on plain connections opened per use (tests and tools without a server). */
    public SqliteEventReader unpooledReader() {
        return new SqliteEventReader(Jdbi.create(this::openMaintenance));
    }

    /** A short-lived connection for maintenance reads and checkpoints (autocommit, busy timeout). */
    Connection openMaintenance() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The writer's page cap ({@code database.maxPageCount}), 0 when none. */
    public long maxPageCount() {
        return maxPageCount;
    }

    /**
     * Changes the page cap; the writer applies it before its next transaction (tests use this to
     * make the store "full" at a chosen size and to give the space back without a restart).
     */
    public void setMaxPageCount(long pages) {
        this.maxPageCount = pages;
    }

    /** Sets {@code PRAGMA max_page_count} on a writer connection (0 lifts the cap). */
    static void applyMaxPageCount(Connection c, long pages) throws SQLException {
        try (Statement s = c.createStatement()) {
            // max_page_count never drops below the current size: SQLite clamps it there.
            s.execute("PRAGMA max_page_count = " + (pages > 0 ? pages : NO_PAGE_CAP));
        }
    }

    public Path path() {
        return path;
    }

    public String jdbcUrl() {
        return "jdbc:sqlite:" + path;
    }

    /** Creates the folder and brings the schema to the newest version. */
    @Override
    public void migrate() {
        try {
            Path dir = path.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database folder for " + path, e);
        }
        if (!Files.exists(path)) {
            // auto_vacuum only takes effect before the file's first page is written, and the WAL
            // pragma of every configured connection writes it: set both on a plain connection first.
            try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("PRAGMA auto_vacuum = INCREMENTAL");
                s.execute("PRAGMA journal_mode = WAL");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + path + ": " + e.getMessage(), e);
            }
        }
        SQLiteDataSource ds = new SQLiteDataSource(writerConfig());
        ds.setUrl(jdbcUrl());
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                // Must precede the first CREATE TABLE so that space can be reclaimed incrementally.
                .initSql("PRAGMA auto_vacuum = INCREMENTAL")
                .load()
                .migrate();
    }

    /**
     * A new connection for the writer thread (the only connection that writes events), with no
     * page cap: the writer applies {@link #maxPageCount()} itself so that it notices changes.
     */
    Connection openWriter() throws SQLException {
        Connection c = writerConfig().createConnection(jdbcUrl());
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA cache_size = -65536");
                s.execute("PRAGMA temp_store = MEMORY");
                // Checkpoints run on their own thread (WalCheckpointer), not inside a commit.
                s.execute("PRAGMA wal_autocheckpoint = 0");
                // A WAL that grew past this while a reader held it is cut back when it starts over.
                s.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Held by whoever runs a checkpoint of this database (see {@link #checkpoints}). */
    Lock checkpointLock() {
        return checkpoints;
    }

    /** A passive checkpoint pass ended: the writer finishes it between its next two transactions. */
    void walPassDone() {
        walFinishWanted = true;
    }

    /** Whether a pass ended since the last call (the writer then finishes the checkpoint). */
    boolean takeWalFinish() {
        if (!walFinishWanted) {
            return false;
        }
        walFinishWanted = false;
        return true;
    }

    /** A connection for {@link WalCheckpointer}: the writer's sync policy, so that a checkpoint syncs as a commit does. */
    Connection openCheckpointer() throws SQLException {
        return writerConfig().createConnection(jdbcUrl());
    }

    private SQLiteConfig writerConfig() {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
        cfg.setBusyTimeout(10_000);
        // Deferred: between commits the writer holds no lock, so tools like sqlite3 can still write.
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        return cfg;
    }
}
