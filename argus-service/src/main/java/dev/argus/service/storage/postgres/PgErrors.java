package dev.argus.service.storage.postgres;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;

/**
 * Turns a PostgreSQL failure into a sentence a user can act on, for the 503 answer, the health
 * check and the log: by SQLSTATE class, no driver internals, never a password.
 */
final class PgErrors {
    private PgErrors() {
    }

    static String describe(Throwable failure, String location) {
        Throwable t = failure;
        while (t != null && !(t instanceof SQLException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (!(t instanceof SQLException se)) {
            return "storage failed: internal error in the writer (" + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")";
        }
        String state = se.getSQLState() == null ? "" : se.getSQLState();
        if (state.startsWith("08") || causedBy(se, ConnectException.class) || causedBy(se, SocketTimeoutException.class)
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return "database unreachable: PostgreSQL at " + location + " did not answer or closed the connection ("
                    + firstLine(se) + "); the writer reconnects before the next write";
        }
        if (state.equals("55P03")) {
            return "database busy: the cluster-wide writer lock was not granted in time (another instance holds a"
                    + " long transaction); retry";
        }
        if (state.equals("53100")) {
            return "storage full: the disk of the PostgreSQL server at " + location + " is full (free space there, or"
                    + " keep fewer days with retention.days)";
        }
        if (state.startsWith("53")) {
            return "database out of resources: " + firstLine(se);
        }
        if (state.startsWith("28")) {
            return "database refused the login: check database.user and database.password";
        }
        if (state.startsWith("25") || state.startsWith("40")) {
            return "database transaction failed: " + firstLine(se) + "; retry";
        }
        return "storage failed: " + firstLine(se);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
