package dev.argus.service.storage.sqlite;

import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Turns a storage failure into a sentence a user can act on (what happened, what to do), for the
 * 503 answer, the health check and the log: no driver internals, no stack-trace words.
 */
final class SqliteErrors {
    private SqliteErrors() {
    }

    /**
     * What went wrong, in words.
     *
     * @param database the database file (named in advice)
     * @param maxPageCount the configured page cap ({@code database.maxPageCount}), 0 when none
     */
    static String describe(Throwable failure, Path database, long maxPageCount) {
        Throwable t = failure;
        while (t != null && !(t instanceof SQLException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof SQLiteException se) {
            return describeSqlite(se.getResultCode().code & 0xff, se, database, maxPageCount);
        }
        if (t instanceof SQLException se) {
            return "storage failed: " + detail(se);
        }
        return "storage failed: internal error in the writer (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")";
    }

    private static String describeSqlite(int primary, SQLiteException e, Path database, long maxPageCount) {
        Path folder = database.toAbsolutePath().getParent();
        switch (primary) {
            case 13: // SQLITE_FULL
                return maxPageCount > 0
                        ? "storage full: the database reached database.maxPageCount = " + maxPageCount
                                + " pages, or the disk holding " + folder + " is full (raise the cap, free space there,"
                                + " or keep fewer days with retention.days)"
                        : "storage full: the disk holding the database (" + folder + ") is full (free space there,"
                                + " or keep fewer days with retention.days)";
            case 10: // SQLITE_IOERR
                return "storage I/O error: the database file " + database + " could not be read or written ("
                        + detail(e) + "); check the disk and its file system";
            case 7: // SQLITE_NOMEM
                return "storage out of memory: SQLite could not allocate memory; give the server more memory";
            case 8: // SQLITE_READONLY
                return "storage read-only: the database file " + database + " cannot be written (check its"
                        + " permissions and that its file system is mounted read-write)";
            case 11: // SQLITE_CORRUPT
            case 26: // SQLITE_NOTADB
                return "storage damaged: the database file " + database + " is corrupt (" + detail(e)
                        + "); stop the server and restore a backup or run sqlite3's .recover";
            case 5: // SQLITE_BUSY
            case 6: // SQLITE_LOCKED
                return "storage busy: another process holds the database " + database
                        + " locked; retry later (is a second server or a sqlite3 shell writing to it?)";
            case 14: // SQLITE_CANTOPEN
                return "storage unavailable: cannot open the database file " + database
                        + " (does its folder exist, and may the server read and write it?)";
            default:
                return "storage failed: " + detail(e);
        }
    }

    /** The driver's message without its {@code [SQLITE_…]} prefix, e.g. {@code disk I/O error}. */
    private static String detail(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int close = m.startsWith("[") ? m.indexOf("] ") : -1;
        String text = close > 0 ? m.substring(close + 2) : m;
        int paren = text.lastIndexOf(" (");
        // sqlite-jdbc appends the primary text in parentheses: "disk I/O error (disk I/O error)"
        if (paren > 0 && text.endsWith(")") && text.substring(paren + 2, text.length() - 1).equals(text.substring(0, paren))) {
            text = text.substring(0, paren);
        }
        return text;
    }
}
