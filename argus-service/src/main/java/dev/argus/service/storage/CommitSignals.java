package dev.argus.service.storage;

/**
 * Wake-ups telling that some instance sharing the database committed events (PostgreSQL
 * {@code LISTEN/NOTIFY}). A signal carries nothing the reader relies on: the events are read back
 * from the database by id, so a lost, merged or truncated notification costs latency only.
 */
public interface CommitSignals {
    /**
     * Opens a listening connection of its own.
     *
     * @throws java.io.UncheckedIOException or another runtime exception when the database is unreachable
     */
    Listener open();

    /** One listening connection; used by one thread. */
    interface Listener extends AutoCloseable {
        /**
         * Waits up to {@code millis} for notifications.
         *
         * @return true when at least one arrived
         * @throws RuntimeException when the connection broke (the caller opens a new one)
         */
        boolean await(int millis);

        /** Closes the connection; never throws. */
        @Override
        void close();
    }
}
