package dev.argus.service.streams;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonFactory;
import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.ingest.CommitListener;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;
import dev.argus.service.storage.LiveJournal;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans committed events out to every stream connection, off the ingest thread: the commit
 * listener only enqueues the batch; one dispatcher thread filters it into each client's bounded
 * outbox; a small worker pool pumps outboxes onto the network without blocking. A slow client
 * therefore costs ingest nothing and other clients nothing but its share of the dispatcher's
 * filtering.
 */
final class StreamHub implements Managed, CommitListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    /** Keepalive interval for SSE comments and WebSocket pings (SPEC §5: 15 s). */
    static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How long a lagged notice may wait to be taken before the connection is closed. */
    static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final JsonFactory jsonFactory;
    /** A commit's events and the lifecycle messages it caused (or those of a writer task, with no events). */
    /** {@code lifecycle}: {@link LifecycleMessage}s of this instance, {@link LiveJournal.Entry}s of others. */
    private record Batch(List<StoredEvent> events, List<Object> lifecycle, long committedNanos) {
    }

    private final LinkedBlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private final Meter sent;
    private final Meter dropped;
    private final Meter lagged;
    private final Meter replayFailures;
    private final Meter closedSlow;
    private final Timer deliveryDelay;

    private final StreamServices services;

    private volatile boolean running;
    private volatile boolean goingAway;
    private Thread dispatcher;
    private volatile ExecutorService workers;
    private volatile ThreadPoolExecutor replays;
    private volatile ScheduledExecutorService timer;
    private long lastKeepalive = System.nanoTime();

    StreamHub(EventReader dao, JsonFactory jsonFactory, int clientQueueEvents, MetricRegistry metrics) {
        this.jsonFactory = jsonFactory;
        this.sent = metrics.meter("argus.streams.messages.sent");
        this.dropped = metrics.meter("argus.streams.messages.dropped");
        this.lagged = metrics.meter("argus.streams.lagged");
        this.replayFailures = metrics.meter("argus.streams.replay-failures");
        this.closedSlow = metrics.meter("argus.streams.closed-slow");
        this.deliveryDelay = metrics.timer("argus.streams.delivery-delay");
        metrics.gauge("argus.streams.clients.ws", () -> () -> count(StreamClient.Transport.WEBSOCKET));
        metrics.gauge("argus.streams.clients.sse", () -> () -> count(StreamClient.Transport.SSE));
        metrics.gauge("argus.streams.dispatch-queue", () -> batches::size);
        this.services = new StreamServices(this::execute, this::replay, this::schedule, dao,
                e -> new EventFrame(e, jsonFactory, 0), new HubMetrics(),
                new StreamServices.Registry() {
                    @Override
                    public void register(StreamClient c) {
                        StreamHub.this.register(c);
                    }

                    @Override
                    public void unregister(StreamClient c) {
                        clients.remove(c);
                    }
                }, clientQueueEvents);
    }

    private int count(StreamClient.Transport transport) {
        int n = 0;
        for (StreamClient c : clients) {
            if (c.transport() == transport) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void start() {
        running = true;
        workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("argus-stream-"));
        // Replay queries wait on storage: their own threads (created on demand, gone when idle), so
        // that a slow query never holds up the pumps that answer subscribes and deliver live events.
        int replayThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        replays = new ThreadPoolExecutor(replayThreads, replayThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("argus-stream-replay-"));
        replays.allowCoreThreadTimeOut(true);
        timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("argus-stream-timer-"));
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        dispatcher = new Thread(this::dispatch, "argus-stream-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (dispatcher != null) {
            dispatcher.interrupt();
            dispatcher.join(5_000);
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (replays != null) {
            replays.shutdownNow();
        }
    }

    /**
     * Server stop, before Jetty's own graceful stop: closes every live client (WebSocket 1001, SSE
     * end of stream) and waits for them to go, at most {@code bound}; then cuts the connections of
     * clients that did not drain (they stopped reading and their TCP window is full), so that
     * neither Jetty's stop nor the JVM's exit waits on them. Clients connecting meanwhile are
     * closed at once.
     *
     * @return the number of clients that had to be aborted
     */
    int goAway(Duration bound) {
        goingAway = true;
        int live = clients.size();
        for (StreamClient c : clients) {
            c.goingAway();
        }
        long deadline = System.nanoTime() + bound.toNanos();
        awaitNoClients(deadline);
        int aborted = 0;
        for (StreamClient c : clients) {
            c.abort();
            aborted++;
        }
        awaitNoClients(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        if (live > 0) {
            LOG.info("closed {} live stream client(s) for shutdown; {} did not drain within {} ms and were cut off",
                    live, aborted, bound.toMillis());
        }
        return aborted;
    }

    private void awaitNoClients(long deadlineNanos) {
        while (!clients.isEmpty() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** On the writer thread, right after a commit: hand off only. */
    @Override
    public void committed(List<StoredEvent> events) {
        committed(events, List.of());
    }

    /** The same with what commit participants derived: the lifecycle messages among it follow the events. */
    @Override
    public void committed(List<StoredEvent> events, List<Object> derived) {
        if (running && !clients.isEmpty()) {
            List<Object> lifecycle = List.of();
            for (Object d : derived) {
                if (d instanceof LifecycleMessage || d instanceof LiveJournal.Entry) {
                    if (lifecycle.isEmpty()) {
                        lifecycle = new ArrayList<>();
                    }
                    lifecycle.add(d);
                }
            }
            batches.offer(new Batch(events, lifecycle, System.nanoTime()));
        }
    }

    /** Lifecycle messages of a committed writer task (PATCH /sessions, idle detection). Never blocks. */
    void publish(List<LifecycleMessage> messages) {
        if (running && !clients.isEmpty() && !messages.isEmpty()) {
            batches.offer(new Batch(List.of(), List.copyOf(messages), System.nanoTime()));
        }
    }

    private void dispatch() {
        List<Batch> taken = new ArrayList<>();
        while (running) {
            try {
                taken.add(batches.take());
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            batches.drainTo(taken);
            try {
                int size = 0;
                for (Batch b : taken) {
                    size += b.events().size();
                }
                List<EventFrame> frames = new ArrayList<>(size);
                for (Batch b : taken) {
                    for (StoredEvent e : b.events()) {
                        frames.add(new EventFrame(e, jsonFactory, b.committedNanos()));
                    }
                    if (!b.lifecycle().isEmpty()) {
                        // A commit's lifecycle messages follow its events (and every earlier one).
                        List<LifecycleFrame> lifecycle = new ArrayList<>(b.lifecycle().size());
                        for (Object m : b.lifecycle()) {
                            lifecycle.add(m instanceof LifecycleMessage own ? new LifecycleFrame(own)
                                    : new LifecycleFrame((LiveJournal.Entry) m));
                        }
                        for (StreamClient c : clients) {
                            c.offer(frames, lifecycle);
                        }
                        frames = new ArrayList<>();
                    }
                }
                if (!frames.isEmpty()) {
                    for (StreamClient c : clients) {
                        c.offer(frames);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("stream dispatch failed; connected clients may have missed events", e);
            }
            taken.clear();
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            boolean keepalive = now - lastKeepalive >= KEEPALIVE_NANOS;
            if (keepalive) {
                lastKeepalive = now;
            }
            for (StreamClient c : clients) {
                if (c.stuckFor(STUCK_NANOS)) {
                    c.closeStuck();
                } else if (keepalive) {
                    c.keepalive();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("stream timer failed", e);
        }
    }

    /** Whether any stream client is connected (the commit tail reads nothing while none is). */
    boolean hasClients() {
        return !clients.isEmpty();
    }

    /** What every client is given at construction (built once; its parts run on this hub's threads). */
    StreamServices services() {
        return services;
    }

    private void register(StreamClient c) {
        clients.add(c);
        if (goingAway) {
            c.goingAway();
        }
    }

    private void execute(Runnable r) {
        ExecutorService w = workers;
        if (w == null) {
            return;
        }
        try {
            w.execute(r);
        } catch (RejectedExecutionException e) {
            // shutting down: connections are being closed by Jetty anyway
        }
    }

    private void replay(Runnable r) {
        ExecutorService w = replays;
        if (w == null) {
            return;
        }
        try {
            w.execute(r);
        } catch (RejectedExecutionException e) {
            // shutting down: connections are being closed by Jetty anyway
        }
    }

    /** Null when the hub is stopping. */
    private ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
        ScheduledExecutorService t = timer;
        if (t == null) {
            return null;
        }
        try {
            return t.schedule(r, delay, unit);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private final class HubMetrics implements StreamServices.Metrics {
        @Override
        public void sent(int messages) {
            sent.mark(messages);
        }

        @Override
        public void dropped(long events) {
            dropped.mark(events);
        }

        @Override
        public void lagged() {
            lagged.mark();
        }

        @Override
        public void delivered(EventFrame f, long nowNanos) {
            if (f.committedNanos() != 0) {
                deliveryDelay.update(nowNanos - f.committedNanos(), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void closedSlowClient() {
            closedSlow.mark();
        }

        @Override
        public void replayFailed(RuntimeException e) {
            replayFailures.mark();
            LOG.warn("stream replay from storage failed", e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
