package dev.argus.it.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * A live subscriber that reconnects whenever its connection ends and resumes after the last event
 * id it received, like a real client riding through a server restart. It records every event id
 * it is given, in arrival order, so a test can check for gaps and duplicates.
 */
abstract class StreamSubscriber implements AutoCloseable {
    private final List<Long> ids = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final Thread loop;
    private volatile boolean closed;
    private int connections;

    StreamSubscriber(String name) {
        loop = new Thread(this::run, name);
        loop.setDaemon(true);
    }

    /** Starts connecting in the background. */
    final void start() {
        loop.start();
    }

    /** One connection: subscribes after {@code afterId} and returns when the connection ends. */
    protected abstract void connectOnce(long afterId) throws Exception;

    /** Stops the connection in progress (called from {@link #close()}). */
    protected abstract void abort();

    private void run() {
        long backoff = 100;
        while (!closed) {
            try {
                connectOnce(lastId());
                backoff = 100;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the server is down or went away: back off and resume after the last id
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 1000);
        }
    }

    /** Called by a connection once the server accepted the subscription. */
    protected final synchronized void connected() {
        connections++;
    }

    /** Called by a connection for every event it receives. */
    protected final synchronized void received(long id) {
        ids.add(id);
    }

    /** Called by a connection for anything unexpected (lagged, replay_truncated, errors). */
    protected final synchronized void notice(String text) {
        notices.add(text);
    }

    final synchronized long lastId() {
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    final synchronized List<Long> ids() {
        return List.copyOf(ids);
    }

    final synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    /** Subscriptions the server accepted (1 + the number of successful resumes). */
    final synchronized int connections() {
        return connections;
    }

    final boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        abort();
        loop.interrupt();
        loop.join(10_000);
    }
}
