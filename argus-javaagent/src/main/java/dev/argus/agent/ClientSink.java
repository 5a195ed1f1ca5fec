package dev.argus.agent;

import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends through the Argus client, which is created off the start-up path (building it and the
 * first exchange load a few hundred JDK classes), and only when something needs it: the
 * background starter waits a little first ({@link #awaitDemand}), so that a short program that
 * sends nothing but {@code jvm.start} and {@code jvm.stop} never builds it (its shutdown hook
 * stores both in one plain request). Anything else demands it at once: a batched event (kept in
 * a small buffer until the client exists) or a synchronous send (which waits, bounded, until
 * {@code jvm.start} has been dealt with, so the server stores it before any error or
 * {@code jvm.stop}; and builds the client itself when nobody else did). {@code jvm.start} is sent
 * by whoever {@linkplain #takeStart() takes} it first: the background starter, or the shutdown
 * hook of a program that ended before the starter got there, which then sends it with
 * {@code jvm.stop} in one request.
 */
final class ClientSink implements EventSink {
    /** Batched events kept while the client is being created; more are dropped. */
    static final int PENDING_LIMIT = 1000;

    /** Makes the client; null when it could not (the maker reported why). */
    interface Maker {
        ArgusClient make();
    }

    /** Counted down when something needs the client (an event, a synchronous send). */
    private final CountDownLatch demand = new CountDownLatch(1);
    private volatile boolean demanded;
    /** Set when the shutdown hook runs: a starter that wakes up later leaves the client to it. */
    private volatile boolean exiting;
    /** Whoever sets this makes the client; everybody else waits for {@link #created}. */
    private final AtomicBoolean making = new AtomicBoolean();
    private volatile Maker maker;
    /** Counted down when the client exists (or could not be created). */
    private final CountDownLatch created = new CountDownLatch(1);
    /** Counted down when {@code jvm.start} was sent or given up (or is not wanted). */
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicBoolean startTaken = new AtomicBoolean();
    private final long waitMillis;
    private final Object lock = new Object();
    private final List<ArgusEvent> pending = new ArrayList<>();
    private volatile ArgusClient client;
    private long droppedBeforeReady;

    ClientSink(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    /** How {@link #client()} makes the client. */
    void maker(Maker m) {
        this.maker = m;
    }

    /**
     * The client, made now on this thread when nobody made it or is making it (else waits,
     * bounded, for the one who is); null when it could not be made.
     */
    ArgusClient client() {
        ArgusClient c = client;
        if (c != null) {
            return c;
        }
        if (!making.compareAndSet(false, true)) {
            return awaitCreated();
        }
        Maker m = maker;
        ArgusClient made = null;
        try {
            made = m == null ? null : m.make();
        } finally {
            if (made == null) {
                fail();
            } else {
                open(made);
            }
        }
        return made;
    }

    /** Something needs the client: the starter waiting in {@link #awaitDemand} goes on now. */
    void demand() {
        if (!demanded) {
            demanded = true;
            demand.countDown();
        }
    }

    /** True once anything needed the client (see {@link #demand()}). */
    boolean demanded() {
        return demanded;
    }

    /** Waits at most {@code millis} for {@link #demand()}; true when it came. */
    boolean awaitDemand(long millis) {
        try {
            return demand.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return demanded;
        }
    }

    /** The shutdown hook has begun. */
    void exiting() {
        exiting = true;
    }

    boolean isExiting() {
        return exiting;
    }

    /** True when {@code jvm.start} was taken already (by the starter or the exit). */
    boolean startTaken() {
        return startTaken.get();
    }

    /** Takes the client and queues what was buffered. */
    void open(ArgusClient createdClient) {
        try {
            synchronized (lock) {
                client = createdClient;
                for (ArgusEvent e : pending) {
                    createdClient.enqueue(e);
                }
                pending.clear();
            }
        } finally {
            created.countDown();
        }
    }

    /** True for the one caller that is to send {@code jvm.start}; it calls {@link #started()} after. */
    boolean takeStart() {
        return startTaken.compareAndSet(false, true);
    }

    /** {@code jvm.start} was sent (or failed, or is not sent at all): synchronous sends may go. */
    void started() {
        ready.countDown();
    }

    /** Gives up on the client (it could not be created); senders stop waiting. */
    void fail() {
        created.countDown();
        ready.countDown();
    }

    /** Waits (bounded) until {@code jvm.start} was dealt with or the client failed; the client or null. */
    ArgusClient awaitClient() {
        await(ready);
        return client;
    }

    /** Waits (bounded) until the client exists or failed; the client or null. */
    ArgusClient awaitCreated() {
        await(created);
        return client;
    }

    private void await(CountDownLatch latch) {
        try {
            latch.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when batched events wait for the client that is still being created. */
    boolean hasPending() {
        synchronized (lock) {
            return client == null && !pending.isEmpty();
        }
    }

    /** The client if it exists already, without waiting. */
    ArgusClient clientNow() {
        return client;
    }

    long dropped() {
        ArgusClient c = client;
        synchronized (lock) {
            return droppedBeforeReady + (c == null ? 0 : c.droppedCount());
        }
    }

    @Override
    public boolean send(ArgusEvent event) {
        demand();
        ArgusClient c = awaitClient();
        if (c == null) {
            // jvm.start went without a client (the exit stored it in one plain request), or the
            // wait ran out: make it here (or wait for whoever makes it; null when that failed)
            c = client();
        }
        return c != null && c.send(event);
    }

    @Override
    public boolean enqueue(ArgusEvent event) {
        ArgusClient c = client;
        if (c == null) {
            synchronized (lock) {
                c = client;
                if (c == null) {
                    demand();
                    if (pending.size() < PENDING_LIMIT) {
                        pending.add(event);
                        return true;
                    }
                    droppedBeforeReady++;
                    return false;
                }
            }
        }
        return c.enqueue(event);
    }
}
