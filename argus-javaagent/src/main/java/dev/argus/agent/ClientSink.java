package dev.argus.agent;

import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusEvent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends through the Argus client. {@code jvm.start} goes out on its own thread so that premain
 * does not wait for the network; later synchronous sends wait (bounded) for it, so the server
 * stores {@code jvm.start} before any error or {@code jvm.stop} of the same run.
 */
final class ClientSink implements EventSink {
    private final ArgusClient client;
    private final CountDownLatch startDone = new CountDownLatch(1);
    private final long waitMillis;

    ClientSink(ArgusClient client, long waitMillis) {
        this.client = client;
        this.waitMillis = waitMillis;
    }

    ArgusClient client() {
        return client;
    }

    /** Sends the first event; every other synchronous send waits for this one to finish. */
    void sendFirst(ArgusEvent event) {
        try {
            client.send(event);
        } finally {
            startDone.countDown();
        }
    }

    /** Lets synchronous sends go without a first event. */
    void noFirst() {
        startDone.countDown();
    }

    @Override
    public boolean send(ArgusEvent event) {
        try {
            startDone.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client.send(event);
    }

    @Override
    public boolean enqueue(ArgusEvent event) {
        return client.enqueue(event);
    }
}
