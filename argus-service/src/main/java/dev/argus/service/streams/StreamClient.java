package dev.argus.service.streams;

import dev.argus.service.core.EventFilter;
import dev.argus.service.core.StoredEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live-stream connection (WebSocket or SSE): its subscription, its bounded outbox and the
 * replay-then-live hand-over. The dispatcher only appends to the outbox under the lock; a
 * transport-specific pump drains it without ever blocking on the network.
 *
 * <p>No gap, no duplicate on resume: a subscription is registered first and buffers what the
 * dispatcher hands it, then stored events are replayed, then buffered and later live events with
 * an id above the last replayed one follow. Dispatch is in id order, so one threshold suffices.
 */
abstract class StreamClient {
    /** Most stored events replayed for one subscribe (SPEC §4). */
    static final int REPLAY_LIMIT = 10_000;

    /** WebSocket close code "going away", sent to every live client when the server stops. */
    static final int GOING_AWAY = 1001;

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

    private static final class Subscription {
        final EventFilter filter;
        long threshold;
        boolean replaying;
        List<EventFrame> buffer;
        boolean suspended;
        long missedWhileReplaying;

        Subscription(EventFilter filter, long threshold, boolean replaying) {
            this.filter = filter;
            this.threshold = threshold;
            this.replaying = replaying;
            this.buffer = replaying ? new ArrayList<>() : null;
        }
    }

    protected final StreamHub hub;
    private final int capacity;
    private final Object lock = new Object();
    private final ArrayDeque<Object> outbox = new ArrayDeque<>();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private int queuedLive;
    private Subscription current;
    private Lagged pendingLag;
    /** The lagged notice left the outbox but the transport has not yet written it to the socket. */
    private boolean lagInFlight;
    private long laggedAtNanos;
    private volatile boolean closed;
    private boolean goingAway;

    StreamClient(StreamHub hub) {
        this.hub = hub;
        this.capacity = hub.clientQueueEvents();
    }

    /** Starts pumping the outbox onto the network (called on a stream worker thread). */
    protected abstract void pump();

    /** Called by the hub's timer every few seconds. */
    protected abstract void keepalive();

    /** The client did not take the lagged notice for too long: close it (WebSocket 1013). */
    protected abstract void closeStuck();

    /**
     * Cuts the connection at once, without a goodbye: for a client that does not take what was
     * queued for it (its TCP window is full), so that nothing waits on it. Idempotent.
     */
    protected abstract void abort();

    /**
     * The server is stopping: what was queued and the subscription are dropped (the client resumes
     * with {@code after_id} on its next connection) and the transport's close is queued — WebSocket
     * close 1001, SSE end of stream. A client that does not read is {@linkplain #abort() aborted} by
     * the hub after a bounded wait.
     */
    void goingAway() {
        synchronized (lock) {
            if (closed || goingAway) {
                return;
            }
            goingAway = true;
            current = null;
            pendingLag = null;
            outbox.removeIf(o -> o instanceof EventItem || o instanceof Lagged || o instanceof Truncated);
            queuedLive = 0;
            outbox.add(new Close(GOING_AWAY, "server shutting down"));
        }
        wake();
    }

    /** Extra outbox items after a lagged notice (SSE ends the stream so that the client reconnects). */
    protected void afterLagged(ArrayDeque<Object> outbox) {
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the connection gone; pending output is dropped. */
    protected void markClosed() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (lock) {
            outbox.clear();
            queuedLive = 0;
            current = null;
            pendingLag = null;
        }
        hub.unregister(this);
    }

    /** Queues a message that is not an event (answers, notices, close). */
    protected void send(Object item) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            outbox.add(item);
        }
        wake();
    }

    protected boolean hasQueuedOutput() {
        synchronized (lock) {
            return !outbox.isEmpty();
        }
    }

    /**
     * Replaces the subscription. {@code answer} (if any) is queued before any event of it; with
     * {@code afterId}, stored matching events are replayed before live ones. Runs the replay query
     * on the calling thread.
     *
     * @return false when the replay query failed (the subscription is then suspended)
     */
    protected boolean subscribe(EventFilter filter, Long afterId, Object answer) {
        Subscription s = new Subscription(filter, afterId == null ? -1 : afterId, afterId != null);
        synchronized (lock) {
            if (closed || goingAway) {
                return true;
            }
            current = s;
            pendingLag = null;
            lagInFlight = false;
            // Nothing queued for an older subscription is wanted any more, nor its lag notice.
            if (!outbox.isEmpty()) {
                outbox.removeIf(o -> o instanceof EventItem || o instanceof Lagged || o instanceof Truncated);
            }
            queuedLive = 0;
            if (answer != null) {
                outbox.add(answer);
            }
        }
        wake();
        if (afterId == null) {
            return true;
        }
        List<StoredEvent> rows;
        try {
            rows = replay(filter, afterId, replayLimit() + 1);
        } catch (RuntimeException e) {
            hub.replayFailed(e);
            synchronized (lock) {
                if (current == s) {
                    s.suspended = true;
                    s.replaying = false;
                    s.buffer = null;
                }
            }
            return false;
        }
        boolean truncated = rows.size() > replayLimit();
        int n = Math.min(rows.size(), replayLimit());
        long last = n == 0 ? afterId : rows.get(n - 1).id();
        synchronized (lock) {
            if (closed || current != s) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                outbox.add(new EventItem(hub.frame(rows.get(i)), false));
            }
            if (truncated) {
                outbox.add(new Truncated(last));
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
                        enqueueLive(s, f);
                    }
                }
            }
        }
        wake();
        return true;
    }

    /** Most stored events replayed for one subscribe. */
    protected int replayLimit() {
        return REPLAY_LIMIT;
    }

    /** Stored matching events with {@code id > afterId}, oldest first (the replay of a subscribe). */
    protected List<StoredEvent> replay(EventFilter filter, long afterId, int limit) {
        return hub.dao().findAfter(filter, afterId, limit);
    }

    /** Whether a live event is for this client (called under the lock; must be cheap). */
    protected boolean admits(EventFilter filter, StoredEvent e) {
        return filter.matches(e);
    }

    /** Called by the dispatcher with every committed batch, in id order. Never blocks on I/O. */
    void offer(List<EventFrame> batch) {
        boolean queued = false;
        synchronized (lock) {
            Subscription s = current;
            if (s == null || closed) {
                return;
            }
            for (EventFrame f : batch) {
                if (f.id() <= s.threshold || !admits(s.filter, f.event())) {
                    continue;
                }
                if (s.suspended) {
                    dropOne(s);
                } else if (s.replaying) {
                    if (s.buffer.size() >= capacity) {
                        s.suspended = true;
                        s.missedWhileReplaying = s.buffer.size() + 1L;
                        hub.dropped(s.missedWhileReplaying);
                        s.buffer = null;
                    } else {
                        s.buffer.add(f);
                    }
                } else {
                    queued |= enqueueLive(s, f);
                }
            }
        }
        if (queued) {
            wake();
        }
    }

    /** Under the lock: an event for a suspended subscription, counted into the notice while it is unsent. */
    private void dropOne(Subscription s) {
        hub.dropped(1);
        if (s.replaying) {
            s.missedWhileReplaying++;
        } else if (pendingLag != null) {
            pendingLag.missed++;
        }
    }

    /** Under the lock. Returns true when the event was queued, false when the client lagged. */
    private boolean enqueueLive(Subscription s, EventFrame f) {
        if (queuedLive < capacity) {
            outbox.add(new EventItem(f, true));
            queuedLive++;
            return true;
        }
        // Overflow: the backlog goes, the client is told, and it resumes with after_id.
        long dropped = 1;
        for (var it = outbox.iterator(); it.hasNext(); ) {
            if (it.next() instanceof EventItem) {
                it.remove();
                dropped++;
            }
        }
        queuedLive = 0;
        s.suspended = true;
        hub.dropped(dropped);
        lagged(dropped);
        return true;
    }

    /** Under the lock: queues the lagged notice. */
    private void lagged(long missed) {
        Lagged l = new Lagged(missed);
        outbox.add(l);
        pendingLag = l;
        laggedAtNanos = System.nanoTime();
        hub.lagged();
        afterLagged(outbox);
    }

    /** Takes up to {@code max} items for the pump, in order. */
    protected int drain(List<Object> into, int max) {
        int taken = 0;
        synchronized (lock) {
            Object o;
            while (taken < max && (o = outbox.poll()) != null) {
                if (o instanceof EventItem e && e.live()) {
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
    protected void lagWritten() {
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
            return (pendingLag != null || lagInFlight) && System.nanoTime() - laggedAtNanos > nanos;
        }
    }

    /** Schedules the pump on a stream worker, at most once at a time. */
    protected void wake() {
        if (closed) {
            return;
        }
        if (wakeScheduled.compareAndSet(false, true)) {
            hub.execute(() -> {
                wakeScheduled.set(false);
                if (!closed) {
                    pump();
                }
            });
        }
    }
}
