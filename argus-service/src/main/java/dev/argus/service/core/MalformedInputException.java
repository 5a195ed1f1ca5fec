package dev.argus.service.core;

/** The body is not well-formed JSON/NDJSON (answered 400). */
public final class MalformedInputException extends Exception {
    public MalformedInputException(String message) {
        super(message, null, false, false);
    }
}
