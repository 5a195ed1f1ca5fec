package dev.argus.service.streams;

import dev.argus.service.streams.Outbox.Close;
import dev.argus.service.streams.Outbox.Control;
import dev.argus.service.streams.Outbox.EventItem;
import dev.argus.service.streams.Outbox.Lagged;
import dev.argus.service.streams.Outbox.Truncated;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code GET /events/stream} response (SPEC §5) written with non-blocking servlet I/O: no
 * thread waits on a client. Only one thread at a time runs the write loop; a wake-up that arrives
 * while it runs makes it loop once more, so nothing queued is left behind.
 */
class SseConnection extends StreamClient implements WriteListener, AsyncListener {
    private static final int ITEMS_PER_WRITE = 256;
    private static final String KEEPALIVE = ": keepalive\n\n";

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Runnable closeTransport;
    private final Object pumpLock = new Object();
    private final List<Object> items = new ArrayList<>(ITEMS_PER_WRITE);
    private boolean running;
    private boolean rerun;
    private boolean needsFlush;
    private boolean completing;
    private final AtomicBoolean ended = new AtomicBoolean();

    /** {@code closeTransport} closes the TCP connection under the response (used to abort). */
    SseConnection(StreamServices services, AsyncContext async, ServletOutputStream out, Runnable closeTransport) {
        this(services, async, out, closeTransport, Feed.events(services.replay()));
    }

    /** The same fed by {@code feed} (see {@link StreamClient#StreamClient(StreamServices, Object, Feed)}). */
    SseConnection(StreamServices services, AsyncContext async, ServletOutputStream out, Runnable closeTransport,
                  Feed feed) {
        super(services, new Outbox.Close(0, "lagged"), feed);
        this.async = async;
        this.out = out;
        this.closeTransport = closeTransport;
    }

    /** Starts writing and registers with the hub; the caller then subscribes. */
    void start() {
        async.addListener(this);
        out.setWriteListener(this);
        register();
    }

    /** Subscribes, replaying from {@code afterId}; a failed replay ends the stream (the client reconnects). */
    void subscribeFrom(dev.argus.service.core.EventFilter filter, Long afterId) {
        subscribe(filter, afterId, null, new Close(0, "replay failed"));
    }

    @Override
    Transport transport() {
        return Transport.SSE;
    }

    @Override
    protected void pump() {
        synchronized (pumpLock) {
            if (running) {
                rerun = true;
                return;
            }
            running = true;
        }
        try {
            while (true) {
                writeWhileReady();
                synchronized (pumpLock) {
                    if (rerun && !isClosed()) {
                        rerun = false;
                        continue;
                    }
                    running = false;
                    rerun = false;
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (pumpLock) {
                running = false;
            }
            abort();
        }
    }

    private void writeWhileReady() throws IOException {
        while (!isClosed() && !ended.get()) {
            if (!out.isReady()) {
                return;
            }
            byte[] chunk = completing ? null : nextChunk();
            if (chunk != null) {
                out.write(chunk);
                needsFlush = true;
            } else if (needsFlush) {
                needsFlush = false;
                out.flush();
            } else {
                if (completing) {
                    finish();
                }
                return;
            }
        }
    }

    private byte[] nextChunk() {
        items.clear();
        if (drain(items, ITEMS_PER_WRITE) == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder(items.size() * 320);
        int count = 0;
        for (Object item : items) {
            if (item instanceof Close) {
                completing = true;
                break;
            }
            b.append(encode(item));
            if (item instanceof EventItem e && e.live()) {
                services.metrics().delivered(e.frame(), System.nanoTime());
            }
            count++;
        }
        services.metrics().sent(count);
        return b.length() == 0 ? null : b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The wire text of one outbox item. */
    protected String encode(Object item) {
        if (item instanceof EventItem e) {
            return e.frame().sseText();
        } else if (item instanceof Outbox.LifecycleItem l) {
            return l.frame().sseText();
        } else if (item instanceof Control c) {
            return c.text();
        } else if (item instanceof Truncated t) {
            return SseFormat.named("replay_truncated", "{\"resume_after_id\":" + t.resumeAfterId() + '}');
        } else if (item instanceof Lagged l) {
            return SseFormat.named("lagged", "{\"missed\":" + l.missed + '}');
        }
        return "";
    }

    /**
     * Ends the response (the client sees the end of the stream). The connection stays registered
     * until the container reports the response complete, which needs the last chunk written: if
     * the client does not take it in time, the connection is cut.
     */
    private void finish() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            markClosed();
            return;
        }
        if (services.timers().schedule(this::abort, WebSocketConnection.CLOSE_ABORT_MILLIS, TimeUnit.MILLISECONDS) == null) {
            abort();
        }
    }

    @Override
    protected void keepalive() {
        if (!hasQueuedOutput()) {
            send(new Control(KEEPALIVE));
        }
    }

    @Override
    protected void closeStuck() {
        // It has not taken the lagged notice for long: the end of the stream would not get through either.
        services.metrics().closedSlowClient();
        abort();
    }

    @Override
    protected void abort() {
        if (isClosed()) {
            return;
        }
        markClosed();
        try {
            closeTransport.run();
        } catch (RuntimeException ignored) {
            // already closed
        }
        // The connection is gone, so completing writes nothing; it ends the async cycle, without
        // which the request would stay in flight and hold up the server's graceful stop.
        ended.set(true);
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // finish() or the container completed it
        }
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        // The write failed: the client is gone.
        abort();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        markClosed();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        abort();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched
    }
}
