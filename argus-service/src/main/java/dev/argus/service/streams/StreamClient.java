package dev.argus.service.streams;

import dev.argus.service.core.EventFilter;
import dev.argus.service.core.StoredEvent;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live-stream connection (WebSocket or SSE): its {@link Outbox} and what moves it — the
 * dispatcher's {@link #offer}, the replay on a stream worker, and the transport's pump, which
 * drains the outbox onto the network without ever blocking. Subclasses only encode and write.
 */
abstract class StreamClient {
    /** Most stored events replayed for one subscribe (SPEC §4). */
    static final int REPLAY_LIMIT = Outbox.REPLAY_LIMIT;

    /** WebSocket close code "going away", sent to every live client when the server stops. */
    static final int GOING_AWAY = 1001;

    /** The transports a client can use; the hub counts its clients by this. */
    enum Transport { WEBSOCKET, SSE }

    protected final StreamServices services;
    private final Feed feed;
    private final Outbox outbox;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile boolean closed;

    /** @param afterLagged queued right after a lagged notice, or null */
    StreamClient(StreamServices services, Object afterLagged) {
        this(services, afterLagged, Feed.events(services.replay()));
    }

    /** @param feed the replay and the live items of a subscription (the event streams' unless given) */
    StreamClient(StreamServices services, Object afterLagged, Feed feed) {
        this.services = services;
        this.feed = feed;
        this.outbox = new Outbox(services.queueEvents(), services.metrics(), afterLagged, System::nanoTime, feed);
    }

    /** Which transport this client writes to. */
    abstract Transport transport();

    /**
     * Starts pumping the outbox onto the network without blocking; called on a stream worker or on
     * the dispatcher, possibly from two threads at once (the transport runs one pass at a time).
     */
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
        if (outbox.goingAway(new Outbox.Close(GOING_AWAY, "server shutting down"))) {
            wake();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Joins the clients the dispatcher offers events to. */
    protected void register() {
        services.registry().register(this);
    }

    /** Marks the connection gone; pending output is dropped. */
    protected void markClosed() {
        if (closed) {
            return;
        }
        closed = true;
        outbox.close();
        services.registry().unregister(this);
    }

    /** Queues a message that is not an event (answers, notices, close). */
    protected void send(Object item) {
        if (outbox.send(item)) {
            wake();
        }
    }

    protected boolean hasQueuedOutput() {
        return !outbox.isEmpty();
    }

    /**
     * Replaces the subscription. {@code answer} (if any) is queued before any event of it; with
     * {@code afterId}, stored matching events are replayed before live ones. The replay query runs
     * on a stream worker, never on the calling (container) thread; should it fail, the
     * subscription is suspended and {@code onReplayFailure} is queued.
     */
    protected void subscribe(EventFilter filter, Long afterId, Object answer, Object onReplayFailure) {
        Outbox.Subscription s = outbox.subscribe(filter, afterId, answer);
        if (s == null) {
            return;
        }
        wake();
        if (afterId == null) {
            return;
        }
        services.replays().execute(() -> replay(s, onReplayFailure));
    }

    /** On a stream worker: the replay query, then the hand-over to live. */
    private void replay(Outbox.Subscription s, Object onReplayFailure) {
        if (!outbox.isCurrent(s)) {
            return;
        }
        List<StoredEvent> rows;
        try {
            rows = feed.replay(s.filter, s.afterId, feed.replayLimit() + 1);
        } catch (RuntimeException e) {
            services.metrics().replayFailed(e);
            outbox.replayFailed(s);
            send(onReplayFailure);
            return;
        }
        outbox.replayed(s, rows, services.frames());
        wake();
    }

    /** Called by the dispatcher with every committed batch, in id order. Never blocks on I/O. */
    void offer(List<EventFrame> batch) {
        offer(batch, List.of());
    }

    /** The same with the lifecycle messages of the commit, queued after its events (SPEC §12.3). */
    void offer(List<EventFrame> batch, List<LifecycleFrame> lifecycle) {
        if (outbox.offer(batch, lifecycle) && !closed) {
            // On the dispatcher itself: the pump never blocks (it writes what the socket takes and
            // resumes on the transport's callback), so a live event costs no hand-off to a worker.
            pump();
        }
    }

    /** Takes up to {@code max} items for the pump, in order. */
    protected int drain(List<Object> into, int max) {
        return outbox.drain(into, max);
    }

    /** The transport wrote the lagged notice to the socket: the client is reading again. */
    protected void lagWritten() {
        outbox.lagWritten();
    }

    /** True when a lagged notice has waited longer than {@code nanos} to be taken. */
    boolean stuckFor(long nanos) {
        return outbox.stuckFor(nanos);
    }

    /** Schedules the pump on a stream worker, at most once at a time. */
    protected void wake() {
        if (closed) {
            return;
        }
        if (wakeScheduled.compareAndSet(false, true)) {
            services.workers().execute(() -> {
                wakeScheduled.set(false);
                if (!closed) {
                    pump();
                }
            });
        }
    }
}
