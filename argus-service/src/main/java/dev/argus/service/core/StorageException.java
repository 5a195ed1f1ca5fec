package dev.argus.service.core;

/** The store could not commit (answered 503; nothing of the request was stored). */
public final class StorageException extends Exception {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
