package dev.argus.service.streams;

import com.fasterxml.jackson.core.JsonFactory;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox alone: no socket, no thread, a fake clock. */
class OutboxTest {
    static final JsonFactory JSON = new JsonFactory();
    static final Function<StoredEvent, EventFrame> FRAMES = e -> new EventFrame(e, JSON, 0);

    final AtomicLong now = new AtomicLong(1_000);
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong lagNotices = new AtomicLong();
    final Outbox.Counters counters = new Outbox.Counters() {
        @Override
        public void dropped(long events) {
            dropped.addAndGet(events);
        }

        @Override
        public void lagged() {
            lagNotices.incrementAndGet();
        }
    };

    static StoredEvent stored(long id, String source) {
        return new StoredEvent(id, source, "t", Level.INFO, "m" + id, 1, 1, null, "[]", null, null, List.of());
    }

    static List<EventFrame> frames(long from, long to, String source) {
        List<EventFrame> out = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            out.add(FRAMES.apply(stored(id, source)));
        }
        return out;
    }

    Outbox outbox(int capacity, Object afterLagged) {
        return new Outbox(capacity, counters, afterLagged, now::get);
    }

    static List<Object> drain(Outbox o) {
        List<Object> out = new ArrayList<>();
        o.drain(out, Integer.MAX_VALUE);
        return out;
    }

    /** Event ids and notices as text, in outbox order. */
    static List<String> describe(List<Object> items) {
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Outbox.EventItem e) {
                out.add((e.live() ? "live " : "replay ") + e.frame().id());
            } else if (o instanceof Outbox.Lagged l) {
                out.add("lagged " + l.missed);
            } else if (o instanceof Outbox.Truncated t) {
                out.add("truncated " + t.resumeAfterId());
            } else {
                out.add(o.toString());
            }
        }
        return out;
    }

    @Test
    void onlyMatchingLiveEventsAreQueuedAfterTheAnswer() {
        Outbox o = outbox(10, null);
        EventFilter onlyA = EventFilter.builder().add(EventFilter.Field.SOURCE, "a").build();
        o.subscribe(onlyA, null, "answer");
        assertThat(o.offer(frames(1, 2, "b"))).isFalse();
        assertThat(o.offer(frames(3, 4, "a"))).isTrue();
        assertThat(describe(drain(o))).containsExactly("answer", "live 3", "live 4");
    }

    @Test
    void replayHandsOverToLiveWithoutGapOrDuplicate() {
        Outbox o = outbox(10, null);
        Outbox.Subscription s = o.subscribe(EventFilter.ALL, 5L, "answer");
        // Committed while the replay query runs: buffered, not queued.
        assertThat(o.offer(frames(6, 8, "a"))).isFalse();
        o.replayed(s, List.of(stored(6, "a"), stored(7, "a")), FRAMES);
        o.offer(frames(9, 9, "a"));
        assertThat(describe(drain(o))).containsExactly("answer", "replay 6", "replay 7", "live 8", "live 9");
    }

    @Test
    void aReplayOfASupersededSubscriptionIsDropped() {
        Outbox o = outbox(10, null);
        Outbox.Subscription old = o.subscribe(EventFilter.ALL, 0L, "first");
        o.subscribe(EventFilter.ALL, null, "second");
        assertThat(o.isCurrent(old)).isFalse();
        o.replayed(old, List.of(stored(1, "a")), FRAMES);
        assertThat(describe(drain(o))).containsExactly("first", "second");
    }

    @Test
    void aLongReplayIsTruncatedWithTheIdToResumeAfter() {
        Outbox o = outbox(10, null);
        Outbox.Subscription s = o.subscribe(EventFilter.ALL, 0L, null);
        List<StoredEvent> rows = new ArrayList<>();
        for (long id = 1; id <= Outbox.REPLAY_LIMIT + 1; id++) {
            rows.add(stored(id, "a"));
        }
        o.replayed(s, rows, FRAMES);
        List<String> items = describe(drain(o));
        assertThat(items).hasSize(Outbox.REPLAY_LIMIT + 1);
        assertThat(items.get(items.size() - 1)).isEqualTo("truncated " + Outbox.REPLAY_LIMIT);
    }

    @Test
    void overflowDropsTheBacklogAndCountsMissedEventsIntoOneNotice() {
        Outbox o = outbox(3, "end-of-stream");
        o.subscribe(EventFilter.ALL, null, null);
        o.offer(frames(1, 3, "a"));
        o.offer(frames(4, 4, "a"));          // overflow: 1..3 dropped with 4
        o.offer(frames(5, 6, "a"));          // suspended: counted into the unsent notice
        assertThat(dropped.get()).isEqualTo(6);
        assertThat(lagNotices.get()).isEqualTo(1);
        assertThat(o.stuckFor(500)).isFalse();
        now.addAndGet(1_000);
        assertThat(o.stuckFor(500)).as("the notice waited too long").isTrue();
        assertThat(describe(drain(o))).containsExactly("lagged 6", "end-of-stream");
        assertThat(o.stuckFor(500)).as("handed to the socket, not yet written").isTrue();
        o.lagWritten();
        assertThat(o.stuckFor(500)).isFalse();
        // Suspended until the client subscribes again.
        assertThat(o.offer(frames(7, 7, "a"))).isFalse();
        o.subscribe(EventFilter.ALL, null, null);
        o.offer(frames(8, 8, "a"));
        assertThat(describe(drain(o))).containsExactly("live 8");
    }

    @Test
    void overflowWhileReplayingIsReportedAfterTheReplay() {
        Outbox o = outbox(2, null);
        Outbox.Subscription s = o.subscribe(EventFilter.ALL, 0L, null);
        o.offer(frames(1, 3, "a"));
        o.replayed(s, List.of(), FRAMES);
        assertThat(describe(drain(o))).containsExactly("lagged 3");
    }

    @Test
    void goingAwayDropsEventsAndQueuesTheCloseOnce() {
        Outbox o = outbox(10, null);
        o.subscribe(EventFilter.ALL, null, "answer");
        o.offer(frames(1, 2, "a"));
        Outbox.Close close = new Outbox.Close(1001, "server shutting down");
        assertThat(o.goingAway(close)).isTrue();
        assertThat(o.goingAway(close)).isFalse();
        o.offer(frames(3, 3, "a"));
        assertThat(o.subscribe(EventFilter.ALL, null, "late")).isNull();
        assertThat(drain(o)).containsExactly("answer", close);
    }

    @Test
    void aClosedOutboxTakesNothing() {
        Outbox o = outbox(10, null);
        o.subscribe(EventFilter.ALL, null, null);
        o.offer(frames(1, 1, "a"));
        assertThat(o.close()).isTrue();
        assertThat(o.close()).isFalse();
        assertThat(o.send("x")).isFalse();
        assertThat(o.offer(frames(2, 2, "a"))).isFalse();
        assertThat(o.isEmpty()).isTrue();
    }
}
