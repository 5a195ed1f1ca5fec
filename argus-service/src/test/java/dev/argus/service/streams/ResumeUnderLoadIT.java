package dev.argus.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No gap, no duplicate: subscribers resume from an {@code after_id} (WebSocket) or
 * {@code Last-Event-ID} (SSE) while 10,000 events are being posted concurrently, and each
 * receives every matching event exactly once, in id order, across the replay/live hand-over.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ResumeUnderLoadIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = StreamsApp.extension();
    private static final int PRELOADED = 3_000;
    private static final int CONCURRENT = 10_000;
    private static final String[] SOURCES = {"a", "b", "c"};

    private static StreamsApp app;

    @BeforeAll
    static void setUp() {
        app = new StreamsApp(APP);
    }

    /** What one subscriber asked for and what it got. */
    private interface Subscriber {
        long afterId();

        Predicate<String> matches();

        /** Event ids received so far, in arrival order (fails on anything unexpected). */
        List<Long> receivedUntil(long lastExpectedId);
    }

    @Test
    void webSocketSubscribersResumingDuringConcurrentPostsGetEveryMatchingEventOnce() throws Exception {
        runScenario(1, (afterId, filter) -> new WsSubscriber(afterId, filter));
    }

    @Test
    void sseSubscribersResumingWithLastEventIdDuringConcurrentPostsGetEveryMatchingEventOnce() throws Exception {
        runScenario(2, (afterId, filter) -> new SseSubscriber(afterId, filter));
    }

    private interface Factory {
        Subscriber open(long afterId, String[] sources);
    }

    private void runScenario(long seed, Factory factory) throws Exception {
        Random random = new Random(seed);
        Map<Long, String> posted = new ConcurrentHashMap<>();
        // Stored history to replay from.
        for (int done = 0; done < PRELOADED; done += 500) {
            List<String> batch = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String s = SOURCES[random.nextInt(SOURCES.length)];
                sources.add(s);
                batch.add(StreamsApp.event(s, "pre"));
            }
            List<Long> ids = app.postBatch(batch);
            for (int i = 0; i < ids.size(); i++) {
                posted.put(ids.get(i), sources.get(i));
            }
        }
        long firstPreloaded = posted.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();

        ExecutorService posters = Executors.newFixedThreadPool(4);
        AtomicInteger remaining = new AtomicInteger(CONCURRENT);
        AtomicInteger postedCount = new AtomicInteger();
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Random r = new Random(seed * 31 + t);
            jobs.add(posters.submit(() -> {
                while (true) {
                    int want = 1 + r.nextInt(25);
                    int left = remaining.getAndAdd(-want);
                    if (left <= 0) {
                        return null;
                    }
                    int n = Math.min(want, left);
                    List<String> batch = new ArrayList<>(n);
                    List<String> sources = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String s = SOURCES[r.nextInt(SOURCES.length)];
                        sources.add(s);
                        batch.add(StreamsApp.event(s, "live"));
                    }
                    List<Long> ids = app.postBatch(batch);
                    for (int i = 0; i < n; i++) {
                        posted.put(ids.get(i), sources.get(i));
                    }
                    postedCount.addAndGet(n);
                }
            }));
        }

        // Subscribers join at different moments of the load, from different points, with different filters.
        String[][] filters = {{}, {"a", "b"}, {"c"}, {"b"}};
        double[] joinAt = {0.05, 0.3, 0.55, 0.75};
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < filters.length; i++) {
                int target = (int) (CONCURRENT * joinAt[i]);
                StreamsApp.await("posting progress", Duration.ofSeconds(120), () -> postedCount.get() >= target
                        || jobs.stream().allMatch(Future::isDone));
                long afterId = firstPreloaded + 1_000 + random.nextInt(PRELOADED - 1_500);
                subscribers.add(factory.open(afterId, filters[i]));
            }
            for (Future<?> job : jobs) {
                job.get(180, TimeUnit.SECONDS);
            }
        } finally {
            posters.shutdownNow();
        }
        assertThat(posted).hasSize(PRELOADED + CONCURRENT);

        TreeMap<Long, String> all = new TreeMap<>(posted);
        for (Subscriber s : subscribers) {
            List<Long> expected = new ArrayList<>();
            all.tailMap(s.afterId(), false).forEach((id, source) -> {
                if (s.matches().test(source)) {
                    expected.add(id);
                }
            });
            List<Long> got = s.receivedUntil(expected.get(expected.size() - 1));
            assertThat(got).as("events after %d", s.afterId()).hasSize(expected.size()).isEqualTo(expected);
        }
        for (Subscriber s : subscribers) {
            ((AutoCloseable) s).close();
        }
    }

    private static Predicate<String> matcher(String[] sources) {
        Set<String> set = Set.of(sources);
        return set.isEmpty() ? s -> true : set::contains;
    }

    private static String filtersJson(String[] sources) {
        if (sources.length == 0) {
            return "{}";
        }
        return "{\"source\":[\"" + String.join("\",\"", sources) + "\"]}";
    }

    private static final class WsSubscriber implements Subscriber, AutoCloseable {
        private final long afterId;
        private final Predicate<String> matches;
        private final WsTestClient client;

        WsSubscriber(long afterId, String[] sources) {
            this.afterId = afterId;
            this.matches = matcher(sources);
            this.client = WsTestClient.authenticated(app);
            client.send("{\"type\":\"subscribe\",\"filters\":" + filtersJson(sources) + ",\"after_id\":" + afterId + "}");
            JsonNode answer = client.next();
            assertThat(answer.get("type").asText()).isEqualTo("subscribe_result");
        }

        @Override
        public long afterId() {
            return afterId;
        }

        @Override
        public Predicate<String> matches() {
            return matches;
        }

        @Override
        public List<Long> receivedUntil(long lastExpectedId) {
            List<Long> ids = new ArrayList<>();
            while (ids.isEmpty() || ids.get(ids.size() - 1) < lastExpectedId) {
                JsonNode m = client.next();
                assertThat(m.get("type").asText()).as("message %s", m).isEqualTo("event");
                JsonNode e = m.get("event");
                assertThat(matches.test(e.get("source").asText())).as("event %s matches the filter", e).isTrue();
                ids.add(e.get("id").asLong());
            }
            return ids;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static final class SseSubscriber implements Subscriber, AutoCloseable {
        private final long afterId;
        private final Predicate<String> matches;
        private final SseTestClient client;

        SseSubscriber(long afterId, String[] sources) {
            this.afterId = afterId;
            this.matches = matcher(sources);
            StringBuilder q = new StringBuilder("?api_key=" + StreamsApp.KEY + "&after_id=1");
            for (String s : sources) {
                q.append("&source=").append(s);
            }
            // Last-Event-ID wins over the after_id=1 in the query.
            this.client = SseTestClient.open(app, q.toString(), "Last-Event-ID", Long.toString(afterId));
            assertThat(client.response().statusCode()).isEqualTo(200);
        }

        @Override
        public long afterId() {
            return afterId;
        }

        @Override
        public Predicate<String> matches() {
            return matches;
        }

        @Override
        public List<Long> receivedUntil(long lastExpectedId) {
            List<Long> ids = new ArrayList<>();
            while (ids.isEmpty() || ids.get(ids.size() - 1) < lastExpectedId) {
                SseTestClient.Frame f = client.nextEventFrame();
                assertThat(f.event()).as("frame %s", f).isEqualTo("event");
                JsonNode e = StreamsApp.json(f.data());
                assertThat(f.id()).isEqualTo(e.get("id").asText());
                assertThat(matches.test(e.get("source").asText())).as("event %s matches the filter", e).isTrue();
                ids.add(e.get("id").asLong());
            }
            return ids;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
