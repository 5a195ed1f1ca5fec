package dev.argus.service.github;

/** A delivery that cannot be mapped (malformed JSON, missing or odd headers): answered 400 with this message. */
public final class GithubPayloadException extends Exception {
    public GithubPayloadException(String message) {
        super(message, null, false, false);
    }
}
