package dev.argus.it.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;
import dev.argus.service.agents.AgentsJson;
import dev.argus.service.agents.InMemorySessionStore;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionTracker;
import dev.argus.service.agents.TrackedEvent;
import dev.argus.service.core.AgentFields;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 while Claude Code sessions are posted to {@code /hooks/claude} concurrently (SPEC §12.3:
 * sessions and agents are derived in the event's transaction). After a restart on the same file,
 * every acknowledged event is stored, and the stored sessions and agents equal what replaying the
 * stored events through {@link SessionTracker} (in memory) gives: no event without its state
 * change, no state change without its event.
 */
class SessionDurabilityIT {
    private static final int THREADS = 8;
    private static final Path FIXTURES = Paths.get(System.getProperty("argus.repo.dir", ".."),
            "argus-service", "src", "test", "resources", "claude-hooks").toAbsolutePath().normalize();
    private static final String FIXTURE_SESSION = "8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43";
    /** One scripted session: prompt, tools (one failing), a subagent that completes, one abandoned by SessionEnd. */
    private static final List<String> SCRIPT = List.of("SessionStart", "UserPromptSubmit", "PreToolUse",
            "PostToolUseFailure", "PreToolUse-Task", "SubagentStart", "Notification", "SubagentStop", "PreToolUse-Task#2",
            "Stop", "SessionEnd");

    @TempDir
    Path dir;

    private static String fixture(String step, String session, String round) {
        String name = step.endsWith("#2") ? step.substring(0, step.length() - 2) : step;
        try {
            String body = Files.readString(FIXTURES.resolve(name + ".json"));
            body = body.replace(FIXTURE_SESSION, session)
                    .replace("a3f9c2e1b7d04c58", "agent-" + round);
            return body.replace("toolu_01TaskExplore000000000001", "toolu_task_" + round + (step.endsWith("#2") ? "_b" : ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void sessionStateMatchesTheStoredEventsAfterKillNine() throws Exception {
        try (ArgusServer server = ArgusServer.start(dir)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Set<Long> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger count = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int round = 0; !stop.get(); round++) {
                        String session = "s-" + thread + "-" + round;
                        for (String step : SCRIPT) {
                            HttpResponse<String> r;
                            try {
                                r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/hooks/claude"))
                                        .header("X-API-Key", server.apiKey()).header("Content-Type", "application/json")
                                        .timeout(Duration.ofSeconds(10))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                fixture(step, session, thread + "-" + round))).build(),
                                        HttpResponse.BodyHandlers.ofString());
                            } catch (Exception e) {
                                return;   // the server is gone: this request is unanswered
                            }
                            if (r.statusCode() != 200) {
                                throw new AssertionError("answered " + r.statusCode() + " " + r.body());
                            }
                            acked.add(Long.parseLong(r.headers().firstValue("X-Argus-Event-Id").orElseThrow()));
                            count.incrementAndGet();
                        }
                    }
                    return;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count.get() < 600 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            server.kill9();
            stop.set(true);
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            assertThat(count.get()).as("hooks acknowledged before the kill").isGreaterThan(100);

            server.restart();
            List<JsonNode> events = server.allEvents("event_type=hook");
            Set<Long> stored = ConcurrentHashMap.newKeySet();
            InMemorySessionStore replay = new InMemorySessionStore();
            for (JsonNode e : events) {
                stored.add(e.get("id").asLong());
                SessionTracker.record(replay, TrackedEvent.of(toStored(e)));
            }
            assertThat(stored).containsAll(acked);

            List<Session> expected = replay.sessions();
            JsonNode listed = server.getJson("/sessions?limit=1000").get("sessions");
            assertThat(listed.size()).isEqualTo(expected.size());
            int agents = 0;
            for (Session s : expected) {
                JsonNode want = ArgusServer.readJson(AgentsJson.session(s, replay.agents(s.id())));
                JsonNode got = server.getJson("/sessions/" + s.id());
                assertThat(got).as("session %s", s.id()).isEqualTo(want);
                agents += replay.agents(s.id()).size();
            }
            assertThat(agents).isGreaterThan(0);
            assertThat(server.getJson("/agents?limit=1000").get("agents").size()).isEqualTo(Math.min(agents, 1000));
        }
    }

    /** The event as the writer handed it to the tracker, rebuilt from its wire form. */
    private static StoredEvent toStored(JsonNode e) {
        List<String> tags = new ArrayList<>();
        e.get("tags").forEach(t -> tags.add(t.asText()));
        AgentFields a = AgentFields.of(text(e, "hook"), text(e, "tool_name"), text(e, "tool_use_id"),
                text(e, "agent_id"), text(e, "status"),
                e.get("is_background").isNull() ? null : e.get("is_background").asBoolean(), text(e, "task_id"));
        return new StoredEvent(e.get("id").asLong(), e.get("source").asText(), e.get("event_type").asText(),
                e.get("level").isNull() ? null : Level.parse(e.get("level").asText()), text(e, "message"),
                Timestamps.parseMicros(e.get("timestamp").asText()), Timestamps.parseMicros(e.get("received_at").asText()),
                e.get("data").isNull() ? null : e.get("data").toString(), e.get("tags").toString(),
                text(e, "session_id"), text(e, "uuid"), tags, a);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
