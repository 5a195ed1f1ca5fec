package dev.argus.service.storage;

import java.sql.SQLException;

/** A failed statement of a session store; its cause is the {@link SQLException}. Unchecked, so the tracker stays free of SQL. */
public final class SessionStorageException extends RuntimeException {
    public SessionStorageException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
