package dev.argus.service.streams;

import com.codahale.metrics.MetricRegistry;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.ingest.CommitListener;
import dev.argus.service.storage.EventReader;
import dev.argus.service.storage.postgres.PgCommitSignals;
import dev.argus.service.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commit tail against a real PostgreSQL for its signals ({@code LISTEN argus_events}); the
 * events themselves come from an in-memory reader, so that each test controls exactly what is
 * "committed" and when.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CommitTailTest {
    /** What the tail handed on, in order: event ids and derived messages. */
    private final List<Object> seen = new ArrayList<>();
    private final MemoryReader reader = new MemoryReader();
    private final AtomicBoolean clients = new AtomicBoolean(true);
    private final MetricRegistry metrics = new MetricRegistry();
    private CommitTail tail;
    private String url;

    private CommitTail start(BooleanSupplier hasClients) throws Exception {
        PostgresServer pg = PostgresServer.get();
        url = pg.freshDatabase();
        CommitListener hub = new CommitListener() {
            @Override
            public void committed(List<StoredEvent> events) {
                committed(events, List.of());
            }

            @Override
            public void committed(List<StoredEvent> events, List<Object> derived) {
                synchronized (seen) {
                    for (StoredEvent e : events) {
                        seen.add(e.id());
                    }
                    seen.addAll(derived);
                }
            }
        };
        tail = new CommitTail(hub, hasClients, reader, new PgCommitSignals(url, pg.user(), pg.password()), metrics);
        tail.start();
        await(() -> metrics.meter("argus.streams.tail.listen-connects").getCount() >= 1, "listening");
        return tail;
    }

    @AfterEach
    void stop() throws Exception {
        if (tail != null) {
            tail.stop();
        }
    }

    @Test
    void anotherInstancesCommitIsDeliveredOnItsNotificationInIdOrder() throws Exception {
        reader.add(1, 2, 3);
        start(clients::get);
        assertThat(tail.lastDelivered()).as("starts at the newest committed id").isEqualTo(3);
        reader.add(4, 5);
        reader.add(7);   // 6 was rolled back: a hole, never filled
        notifyChannel();
        await(() -> seen().size() == 3, "the three new events");
        assertThat(seen()).containsExactly(4L, 5L, 7L);
    }

    @Test
    void readsInPagesUntilCaughtUp() throws Exception {
        start(clients::get);
        long[] ids = new long[CommitTail.PAGE * 2 + 17];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        reader.add(ids);
        notifyChannel();
        await(() -> seen().size() == ids.length, "every event");
        List<Object> s = seen();
        for (int i = 0; i < ids.length; i++) {
            assertThat(s.get(i)).isEqualTo(ids[i]);
        }
    }

    @Test
    void withoutAnySignalTheFallbackPollDeliversWithinAboutASecond() throws Exception {
        start(clients::get);
        reader.add(1, 2);
        await(() -> seen().size() == 2, "the poll");
        assertThat(seen()).containsExactly(1L, 2L);
    }

    @Test
    void aLocalCommitsLifecycleMessagesFollowItsEventsAndPrecedeLaterOnes() throws Exception {
        start(clients::get);
        reader.add(1, 2, 3, 4);
        // this instance committed 1 and 2 with a derived message; 3 and 4 came from elsewhere
        tail.committed(List.of(event(1), event(2)), List.of("started-after-2"));
        await(() -> seen().size() == 5, "events and the message");
        assertThat(seen()).containsExactly(1L, 2L, "started-after-2", 3L, 4L);
    }

    @Test
    void noReadsWhileNoClientIsConnectedButNothingIsMissedOnceOneIs() throws Exception {
        clients.set(false);
        start(clients::get);
        reader.add(1, 2, 3);
        notifyChannel();
        await(() -> tail.lastDelivered() == 3, "the newest id");
        assertThat(seen()).isEmpty();
        int readsBefore = reader.afterReads.get();
        clients.set(true);
        reader.add(4);
        notifyChannel();
        await(() -> seen().size() == 1, "the event after the client came");
        assertThat(seen()).containsExactly(4L);
        assertThat(reader.afterReads.get()).isGreaterThan(readsBefore);
    }

    @Test
    void theListenerReconnectsAfterTheDatabaseRestartsAndTheTailCatchesUp() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("ARGUS_TEST_POSTGRES_URL") == null,
                "needs a server the tests control");
        start(clients::get);
        PostgresServer.get().restart();
        reader.add(1, 2);
        await(() -> seen().size() == 2, "events committed across the restart");
        await(() -> metrics.meter("argus.streams.tail.listen-connects").getCount() >= 2, "a new listening connection");
        reader.add(3);
        notifyChannel();
        await(() -> seen().size() == 3, "an event signalled after the reconnect");
        assertThat(seen()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void stopsPromptly() throws Exception {
        start(clients::get);
        long t0 = System.nanoTime();
        tail.stop();
        tail = null;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    private void notifyChannel() throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = PostgresServer.get().connect(db); Statement s = c.createStatement()) {
            s.execute("SELECT pg_notify('" + PgCommitSignals.CHANNEL + "', '0')");
        }
    }

    private List<Object> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static StoredEvent event(long id) {
        return new StoredEvent(id, "s", "t", Level.INFO, "m" + id, 1, 1, null, "[]", null, null, List.of());
    }

    /** Committed events in id order; {@code findAfter} as a store would answer it. */
    private static final class MemoryReader implements EventReader {
        private final List<StoredEvent> events = new ArrayList<>();
        final AtomicInteger afterReads = new AtomicInteger();

        synchronized void add(long... ids) {
            for (long id : ids) {
                events.add(event(id));
            }
        }

        @Override
        public synchronized List<StoredEvent> findAfter(EventFilter filter, long afterId, int limit) {
            afterReads.incrementAndGet();
            List<StoredEvent> out = new ArrayList<>();
            for (StoredEvent e : events) {
                if (e.id() > afterId && out.size() < limit) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public synchronized List<StoredEvent> find(EventQuery query, int fetch) {
            if (query.ascending()) {
                throw new UnsupportedOperationException("only the newest event is asked for");
            }
            return events.isEmpty() ? List.of() : List.of(events.get(events.size() - 1));
        }

        @Override
        public StoredEvent findById(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> sources() {
            return List.of();
        }

        @Override
        public List<String> eventTypes(List<String> sources) {
            return List.of();
        }
    }
}
