package dev.argus.service.storage;

import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.storage.postgres.PostgresStorage;
import dev.argus.service.storage.sqlite.SqliteStorage;
import dev.argus.service.work.WorkStore;
import io.dropwizard.core.setup.Environment;

import java.nio.file.Path;
import java.sql.Connection;

/**
 * One database dialect: migrations, the writer's store, the read pool and the stores built on it.
 * {@link #open} picks SQLite or PostgreSQL from {@code database.url}; nothing above storage knows
 * which one runs.
 */
public interface Storage {
    /** SQLite at {@code database.path}, or PostgreSQL when {@code database.url} is a {@code jdbc:postgresql:} URL. */
    static Storage open(DatabaseConfig config) {
        String url = config.getUrl();
        if (url == null || url.isBlank()) {
            return new SqliteStorage(config);
        }
        if (config.isPostgres()) {
            return new PostgresStorage(config);
        }
        throw new IllegalArgumentException("database.url must start with jdbc:postgresql: (leave it out for SQLite at"
                + " database.path)");
    }

    /** Brings the schema to the newest version (the dialect's own migrations). */
    void migrate();

    /** The writer's store (one per storage). */
    EventBatchWriter writer();

    /** The reader on a pool managed by the server's lifecycle; build it before the stores below. */
    EventReader reader(Environment env, int readPoolSize);

    /** Workstreams and tasks: writes through {@code writer}, reads on the pool of {@link #reader}. */
    WorkStore workStore(WriteRunner writer);

    /** Sessions, agents and task existence, on the pool of {@link #reader}. */
    SessionReader sessionReader();

    /** Updates (events with a task_id), on the pool of {@link #reader}. */
    UpdateReader updateReader();

    /** Retention, vacuum and bookkeeping. */
    RetentionStore retention();

    /** The session store on the writer's connection, inside its open transaction. */
    WriterSessionStore sessionStore(Connection writerTx);

    /**
     * The local folder whose free space the disk guard watches, or null when the database is not a
     * local file (PostgreSQL: the server's disk is not visible from here).
     */
    Path localFolder();

    /**
     * Wake-ups when any instance sharing the database commits events (the live streams then read
     * every instance's events back in id order), or null when only this instance writes (SQLite).
     */
    default CommitSignals commitSignals() {
        return null;
    }

    /**
     * The lifecycle messages every instance sharing the database wrote (SPEC §15), or null when
     * only this instance writes (SQLite).
     */
    default LiveJournal liveJournal() {
        return null;
    }

    /** Where the data lives, for logs (a file path, or the URL; never a password). */
    String describeLocation();
}
