package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Polling with a deadline (never a fixed sleep as an assertion), and small event-list helpers. */
final class Poll {
    private Poll() {
    }

    /**
     * Reads {@code get} every 200 ms until {@code done} holds or {@code timeout} passes, and returns the
     * last value read either way: the caller's assertions then say what is missing.
     */
    static <T> T until(Duration timeout, Supplier<T> get, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = get.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            value = get.get();
        }
        return value;
    }

    /** The stored events of {@code source}, oldest first, once {@code done} holds (or at the deadline). */
    static List<JsonNode> events(ArgusServer server, String source, Predicate<List<JsonNode>> done)
            throws InterruptedException {
        return until(Duration.ofSeconds(90), () -> server.allEvents("source=" + source), done);
    }

    static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type.equals(e.get("event_type").asText())).collect(Collectors.toList());
    }

    /** Log events written by {@code logger}. */
    static List<JsonNode> byLogger(List<JsonNode> events, String logger) {
        return ofType(events, "log").stream().filter(e -> logger.equals(e.path("data").path("logger").asText()))
                .collect(Collectors.toList());
    }

    /** The MDC {@code seq} of each event that has one, in the order given. */
    static List<Integer> seqs(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("data").path("mdc").has("seq"))
                .map(e -> Integer.parseInt(e.path("data").path("mdc").path("seq").asText()))
                .collect(Collectors.toList());
    }

    static List<Long> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asLong()).collect(Collectors.toList());
    }
}
