package dev.argus.service.storage.sqlite;

import dev.argus.service.core.LogEvery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Moves WAL checkpoints off the commit path. With SQLite's automatic checkpoint (every 1,000 WAL
 * pages) the commit that crosses the mark copies the pages into the database file and fsyncs it
 * before it returns, so every ~100th single-event POST waited for two extra fsyncs. The writer
 * connection runs with {@code wal_autocheckpoint = 0} instead, and asks for a passive checkpoint
 * here every {@value #COMMITS} commits or {@value #EVENTS} events; one daemon thread per JVM runs
 * it on a connection of its own while the writer goes on committing. Durability is unchanged:
 * every commit still fsyncs the WAL ({@code synchronous} as configured) before it is answered.
 * After each pass the writer finishes it between two transactions ({@link #passive}), so that the
 * WAL starts over instead of growing while commits never pause.
 * A checkpoint that fails (e.g. a full disk) is only logged: the WAL keeps the data, and the next
 * request tries again.
 */
final class WalCheckpointer {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** Commits between checkpoint requests (about 1,000 WAL pages for small commits). */
    static final int COMMITS = 100;
    /** Events between checkpoint requests (large batch commits). */
    static final int EVENTS = 10_000;

    private static final LinkedBlockingQueue<SqliteStorage> REQUESTS = new LinkedBlockingQueue<>();
    private static Thread thread;

    private WalCheckpointer() {
    }

    /** Asks for a passive checkpoint of {@code storage}'s WAL soon; never blocks, never throws. */
    static void request(SqliteStorage storage) {
        if (!REQUESTS.contains(storage)) {
            REQUESTS.offer(storage);
        }
        ensureThread();
    }

    private static synchronized void ensureThread() {
        if (thread == null || !thread.isAlive()) {
            thread = new Thread(WalCheckpointer::run, "argus-wal-checkpoint");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void run() {
        LogEvery warnings = new LogEvery(Duration.ofSeconds(60));
        while (true) {
            SqliteStorage s;
            try {
                // Ends after a minute without work (tests create many stores; a server asks often).
                s = REQUESTS.poll(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (s == null) {
                synchronized (WalCheckpointer.class) {
                    if (REQUESTS.isEmpty()) {
                        thread = null;
                        return;
                    }
                }
                continue;
            }
            try {
                checkpoint(s);
            } catch (SQLException | RuntimeException e) {
                if (warnings.due()) {
                    LOG.warn("WAL checkpoint of {} failed ({}); the WAL keeps the data and grows until one succeeds",
                            s.path(), e.getMessage());
                }
            }
        }
    }

    static void checkpoint(SqliteStorage storage) throws SQLException {
        storage.checkpointLock().lock();
        try (Connection c = storage.openCheckpointer()) {
            passive(c);
        } finally {
            storage.checkpointLock().unlock();
        }
        storage.walPassDone();
    }

    /**
     * The writer's half: copies what was committed while the passive pass ran, on the writer
     * thread between its transactions, so that no frame is added meanwhile and the whole WAL is
     * backfilled. SQLite then starts the WAL over at the next commit, rewriting the same blocks.
     * Without it a writer that never pauses (one commit per millisecond is enough) keeps the WAL
     * one frame ahead of every passive pass: the file grew by every commit (110 MB for 5,000
     * single-event POSTs beside a 1.5 MB database) and each fsync extended it.
     */
    static void passive(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        }
    }
}
