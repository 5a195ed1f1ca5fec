package dev.argus.service.streams;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonFactory;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays wait on storage; pumps must not wait for them. With more resumes stuck in slow replay
 * queries than there are stream workers, another client's subscribe is still answered at once.
 */
class SlowReplayTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private StreamHub hub;

    /** A reader whose every query blocks until the test releases it (a database that hangs). */
    private final EventReader stuck = new EventReader() {
        @Override
        public List<StoredEvent> find(EventQuery query, int fetch) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }

        @Override
        public StoredEvent findById(long id) {
            return null;
        }

        @Override
        public List<String> sources() {
            return List.of();
        }

        @Override
        public List<String> eventTypes(List<String> sources) {
            return List.of();
        }
    };

    /** A client that records what its pump takes, standing in for a socket. */
    static final class Recording extends StreamClient {
        final BlockingQueue<Object> written = new LinkedBlockingQueue<>();

        Recording(StreamServices services) {
            super(services, "lagged");
            register();
        }

        @Override
        Transport transport() {
            return Transport.SSE;
        }

        @Override
        protected void pump() {
            List<Object> items = new ArrayList<>();
            drain(items, 1000);
            written.addAll(items);
        }

        @Override
        protected void keepalive() {
        }

        @Override
        protected void closeStuck() {
        }

        @Override
        protected void abort() {
        }

        void subscribe(Long afterId, String answer) {
            subscribe(EventFilter.ALL, afterId, answer, "replay failed");
        }
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void aSubscribeIsAnsweredWhileOtherClientsReplaysHang() throws Exception {
        hub = new StreamHub(stuck, new JsonFactory(), 100, new MetricRegistry());
        hub.start();
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        List<Recording> resuming = new ArrayList<>();
        for (int i = 0; i < workers * 2; i++) {
            Recording r = new Recording(hub.services());
            r.subscribe(1L, "resumed-" + i);   // replay from storage: blocks in the reader
            resuming.add(r);
        }
        Recording fresh = new Recording(hub.services());
        fresh.subscribe(null, "subscribed");   // no replay: answered by a pump
        assertThat(fresh.written.poll(20, TimeUnit.SECONDS)).isEqualTo("subscribed");

        release.countDown();
        for (Recording r : resuming) {
            assertThat(r.written.poll(20, TimeUnit.SECONDS)).asString().startsWith("resumed-");
        }
    }
}
