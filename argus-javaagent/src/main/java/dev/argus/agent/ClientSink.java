package dev.argus.agent;

import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends through the Argus client, which is created off the start-up path: building a JDK
 * {@code HttpClient} initialises TLS and costs far more than the rest of premain. Until the client
 * exists, batched events wait in a small buffer; synchronous sends wait (bounded) until
 * {@code jvm.start} has been sent, so the server stores it before any error or {@code jvm.stop}.
 */
final class ClientSink implements EventSink {
    /** Batched events kept while the client is being created; more are dropped. */
    static final int PENDING_LIMIT = 1000;

    private final CountDownLatch ready = new CountDownLatch(1);
    private final long waitMillis;
    private final Object lock = new Object();
    private final List<ArgusEvent> pending = new ArrayList<>();
    private volatile ArgusClient client;
    private long droppedBeforeReady;

    ClientSink(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    /** Takes the client, queues what was buffered, then sends {@code first} (may be null). */
    void open(ArgusClient created, ArgusEvent first) {
        try {
            synchronized (lock) {
                client = created;
                for (ArgusEvent e : pending) {
                    created.enqueue(e);
                }
                pending.clear();
            }
            if (first != null) {
                created.send(first);
            }
        } finally {
            ready.countDown();
        }
    }

    /** Gives up on the client (it could not be created); senders stop waiting. */
    void fail() {
        ready.countDown();
    }

    /** Waits (bounded) until {@link #open} or {@link #fail} ran; returns the client or null. */
    ArgusClient awaitClient() {
        try {
            ready.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client;
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
        ArgusClient c = awaitClient();
        return c != null && c.send(event);
    }

    @Override
    public boolean enqueue(ArgusEvent event) {
        ArgusClient c = client;
        if (c == null) {
            synchronized (lock) {
                c = client;
                if (c == null) {
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
