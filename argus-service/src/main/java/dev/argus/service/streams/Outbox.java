package dev.argus.service.streams;

import dev.argus.service.core.EventFilter;
import dev.argus.service.core.StoredEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One stream client's subscription and bounded outbox, with no I/O and no threads of its own: the
 * dispatcher {@linkplain #offer offers} committed events, a replay is {@linkplain #replayed handed
 * in}, and the transport {@linkplain #drain drains} what to write. Thread-safe (one lock).
 *
 * <p>No gap, no duplicate on resume: a subscription is registered first and buffers what the
 * dispatcher hands it, then stored events are replayed, then buffered and later live events with
 * an id above the last replayed one follow. Dispatch is in id order, so one threshold suffices.
 *
 * <p>Lag: at most {@code capacity} live events wait; on overflow the backlog is dropped and one
 * {@link Lagged} notice (with the count of missed events, growing while unsent) is queued; the
 * subscription stays suspended until the client subscribes again.
 */
final class Outbox {
    /** Most stored events replayed for one subscribe (SPEC §4). */
    static final int REPLAY_LIMIT = 10_000;

    /** Told of dropped events and lag notices (metrics). */
    interface Counters {
        void dropped(long events);

        void lagged();
    }

    /** Outbox items besides events. */
    record Control(String text) {
    }

    record Truncated(long resumeAfterId) {
    }

    record Close(int code, String reason) {
    }

    static final class Lagged {
        long missed;

        Lagged(long missed) {
            this.missed = missed;
        }
    }

    record EventItem(EventFrame frame, boolean live) {
    }

    /** A session or agent lifecycle message (SPEC §12.3); live only, counted like a live event. */
    record LifecycleItem(LifecycleFrame frame) {
    }

    /** A subscription, as the handle of its replay. */
    static final class Subscription {
        final EventFilter filter;
        final Long afterId;
        long threshold;
        boolean replaying;
        List<EventFrame> buffer;
        boolean suspended;
        long missedWhileReplaying;

        Subscription(EventFilter filter, Long afterId) {
            this.filter = filter;
            this.afterId = afterId;
            this.threshold = afterId == null ? -1 : afterId;
            this.replaying = afterId != null;
            this.buffer = replaying ? new ArrayList<>() : null;
        }
    }

    private final int capacity;
    private final Counters counters;
    /** Queued right after a lagged notice (SSE ends its stream so that the client reconnects), or null. */
    private final Object afterLagged;
    private final LongSupplier nanoClock;
    /** Replay limit and which live items the subscription takes (its replay query is not run here). */
    private final Feed feed;
    private final Object lock = new Object();
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private int queuedLive;
    private Subscription current;
    private Lagged pendingLag;
    /** The lagged notice left the outbox but the transport has not yet written it to the socket. */
    private boolean lagInFlight;
    private long laggedAtNanos;
    private boolean closed;
    private boolean goingAway;

    Outbox(int capacity, Counters counters, Object afterLagged, LongSupplier nanoClock) {
        this(capacity, counters, afterLagged, nanoClock, Feed.events(null));
    }

    Outbox(int capacity, Counters counters, Object afterLagged, LongSupplier nanoClock, Feed feed) {
        this.capacity = capacity;
        this.counters = counters;
        this.afterLagged = afterLagged;
        this.nanoClock = nanoClock;
        this.feed = feed;
    }

    /**
     * The server is stopping: what was queued and the subscription are dropped and {@code close}
     * is queued. False when closed or going away already.
     */
    boolean goingAway(Close close) {
        synchronized (lock) {
            if (closed || goingAway) {
                return false;
            }
            goingAway = true;
            current = null;
            pendingLag = null;
            dropEventsAndNotices();
            items.add(close);
            return true;
        }
    }

    /** The connection is gone: everything pending is dropped and nothing more is taken. False when closed already. */
    boolean close() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            items.clear();
            queuedLive = 0;
            current = null;
            pendingLag = null;
            return true;
        }
    }

    /** Queues a message that is not an event; false when closed. */
    boolean send(Object item) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            items.add(item);
            return true;
        }
    }

    boolean isEmpty() {
        synchronized (lock) {
            return items.isEmpty();
        }
    }

    /**
     * Replaces the subscription; {@code answer} (if any) is queued before any event of it.
     *
     * @return the subscription, whose replay is to be {@linkplain #replayed handed in} when
     *         {@code afterId} is set; null when closed or going away
     */
    Subscription subscribe(EventFilter filter, Long afterId, Object answer) {
        Subscription s = new Subscription(filter, afterId);
        synchronized (lock) {
            if (closed || goingAway) {
                return null;
            }
            current = s;
            pendingLag = null;
            lagInFlight = false;
            // Nothing queued for an older subscription is wanted any more, nor its lag notice.
            if (!items.isEmpty()) {
                dropEventsAndNotices();
            }
            queuedLive = 0;
            if (answer != null) {
                items.add(answer);
            }
            return s;
        }
    }

    /** Whether {@code s} is still the live subscription (a replay of an older one is wasted). */
    boolean isCurrent(Subscription s) {
        synchronized (lock) {
            return !closed && current == s;
        }
    }

    /**
     * The stored events after the subscription's {@code afterId}, oldest first, at most
     * the feed's replay limit + 1 (one more tells that the replay was truncated): queued, then the
     * events buffered meanwhile follow.
     */
    void replayed(Subscription s, List<StoredEvent> rows, Function<StoredEvent, EventFrame> frames) {
        int limit = feed.replayLimit();
        boolean truncated = rows.size() > limit;
        int n = Math.min(rows.size(), limit);
        long last = n == 0 ? s.afterId : rows.get(n - 1).id();
        synchronized (lock) {
            if (closed || current != s) {
                return;
            }
            for (int i = 0; i < n; i++) {
                items.add(new EventItem(frames.apply(rows.get(i)), false));
            }
            if (truncated) {
                items.add(new Truncated(last));
            }
            List<EventFrame> buffered = s.buffer;
            s.buffer = null;
            s.replaying = false;
            s.threshold = last;
            if (s.suspended) {
                lagged(s.missedWhileReplaying);
            } else {
                for (EventFrame f : buffered) {
                    if (f.id() <= last) {
                        continue;
                    }
                    if (s.suspended) {
                        dropOne(s);
                    } else {
                        enqueueLive(s, new EventItem(f, true));
                    }
                }
            }
        }
    }

    /** The replay query failed: the subscription is suspended (the client is told to subscribe again). */
    void replayFailed(Subscription s) {
        synchronized (lock) {
            if (current == s) {
                s.suspended = true;
                s.replaying = false;
                s.buffer = null;
            }
        }
    }

    /** A committed batch, in id order. Never blocks. Returns true when something was queued. */
    boolean offer(List<EventFrame> batch) {
        return offer(batch, List.of());
    }

    /**
     * A committed batch and the lifecycle messages its commit caused, queued after its events for
     * a subscription whose {@code source}/{@code session_id} filters admit the session. A
     * subscription that is replaying or suspended gets no lifecycle messages (they are not stored,
     * so a resume cannot bring them back either).
     */
    boolean offer(List<EventFrame> batch, List<LifecycleFrame> lifecycle) {
        boolean queued = offerEvents(batch);
        if (lifecycle.isEmpty()) {
            return queued;
        }
        synchronized (lock) {
            Subscription s = current;
            if (s == null || closed) {
                return queued;
            }
            for (LifecycleFrame f : lifecycle) {
                if (s.suspended || s.replaying || !feed.admits(s.filter, f)) {
                    continue;
                }
                queued |= enqueueLive(s, new LifecycleItem(f));
            }
        }
        return queued;
    }

    private boolean offerEvents(List<EventFrame> batch) {
        boolean queued = false;
        synchronized (lock) {
            Subscription s = current;
            if (s == null || closed) {
                return false;
            }
            for (EventFrame f : batch) {
                if (f.id() <= s.threshold || !feed.admits(s.filter, f.event())) {
                    continue;
                }
                if (s.suspended) {
                    dropOne(s);
                } else if (s.replaying) {
                    if (s.buffer.size() >= capacity) {
                        s.suspended = true;
                        s.missedWhileReplaying = s.buffer.size() + 1L;
                        counters.dropped(s.missedWhileReplaying);
                        s.buffer = null;
                    } else {
                        s.buffer.add(f);
                    }
                } else {
                    queued |= enqueueLive(s, new EventItem(f, true));
                }
            }
        }
        return queued;
    }

    /** Under the lock: an event for a suspended subscription, counted into the notice while it is unsent. */
    private void dropOne(Subscription s) {
        counters.dropped(1);
        if (s.replaying) {
            s.missedWhileReplaying++;
        } else if (pendingLag != null) {
            pendingLag.missed++;
        }
    }

    /** Under the lock: a live event or lifecycle item. Returns true (it or a lagged notice was queued). */
    private boolean enqueueLive(Subscription s, Object item) {
        if (queuedLive < capacity) {
            items.add(item);
            queuedLive++;
            return true;
        }
        // Overflow: the backlog goes, the client is told, and it resumes with after_id.
        long dropped = 1;
        for (var it = items.iterator(); it.hasNext(); ) {
            Object o = it.next();
            if (o instanceof EventItem || o instanceof LifecycleItem) {
                it.remove();
                dropped++;
            }
        }
        queuedLive = 0;
        s.suspended = true;
        counters.dropped(dropped);
        lagged(dropped);
        return true;
    }

    /** Under the lock: queues the lagged notice. */
    private void lagged(long missed) {
        Lagged l = new Lagged(missed);
        items.add(l);
        pendingLag = l;
        laggedAtNanos = nanoClock.getAsLong();
        counters.lagged();
        if (afterLagged != null) {
            items.add(afterLagged);
        }
    }

    private void dropEventsAndNotices() {
        items.removeIf(o -> o instanceof EventItem || o instanceof LifecycleItem || o instanceof Lagged
                || o instanceof Truncated);
        queuedLive = 0;
    }

    /** Takes up to {@code max} items for the transport, in order. */
    int drain(List<Object> into, int max) {
        int taken = 0;
        synchronized (lock) {
            Object o;
            while (taken < max && (o = items.poll()) != null) {
                if (o instanceof EventItem e && e.live() || o instanceof LifecycleItem) {
                    queuedLive--;
                } else if (o == pendingLag) {
                    pendingLag = null;
                    lagInFlight = true;
                }
                into.add(o);
                taken++;
            }
        }
        return taken;
    }

    /** The transport wrote the lagged notice to the socket: the client is reading again. */
    void lagWritten() {
        synchronized (lock) {
            lagInFlight = false;
        }
    }

    /**
     * True when a lagged notice has waited longer than {@code nanos} to be taken: still queued, or
     * handed to a socket that the client does not read.
     */
    boolean stuckFor(long nanos) {
        synchronized (lock) {
            return (pendingLag != null || lagInFlight) && nanoClock.getAsLong() - laggedAtNanos > nanos;
        }
    }
}
