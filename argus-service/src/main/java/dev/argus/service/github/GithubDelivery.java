package dev.argus.service.github;

/** What one webhook delivery means to Argus: a {@link Ping} (answer pong, store nothing) or a {@link GithubEvent} to store. */
public sealed interface GithubDelivery permits GithubDelivery.Ping, GithubEvent {

    /** GitHub's {@code ping} after a webhook is created: answered {@code 200 {"status":"pong"}}, nothing stored. */
    record Ping(String zen, Long hookId) implements GithubDelivery {
    }
}
