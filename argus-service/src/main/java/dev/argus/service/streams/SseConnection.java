package dev.argus.service.streams;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code GET /events/stream} response (SPEC §5) written with non-blocking servlet I/O: no
 * thread waits on a client. Only one thread at a time runs the write loop; a wake-up that arrives
 * while it runs makes it loop once more, so nothing queued is left behind.
 */
final class SseConnection extends StreamClient implements WriteListener, AsyncListener {
    private static final int ITEMS_PER_WRITE = 256;
    private static final String KEEPALIVE = ": keepalive\n\n";

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Object pumpLock = new Object();
    private final List<Object> items = new ArrayList<>(ITEMS_PER_WRITE);
    private boolean running;
    private boolean rerun;
    private boolean needsFlush;
    private boolean completing;

    SseConnection(StreamHub hub, AsyncContext async, ServletOutputStream out) {
        super(hub);
        this.async = async;
        this.out = out;
    }

    /** Registers with the hub and starts writing; the caller then subscribes. */
    void start() {
        hub.register(this);
        async.addListener(this);
        out.setWriteListener(this);
    }

    /** Subscribes, replaying from {@code afterId}; a failed replay ends the stream (the client reconnects). */
    void subscribeFrom(dev.argus.service.core.EventFilter filter, Long afterId) {
        if (!subscribe(filter, afterId, null)) {
            send(new Close(0, "replay failed"));
        }
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
            finish();
        }
    }

    private void writeWhileReady() throws IOException {
        while (!isClosed()) {
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
                hub.delivered(e.frame(), System.nanoTime());
            }
            count++;
        }
        hub.sent(count);
        return b.length() == 0 ? null : b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(Object item) {
        if (item instanceof EventItem e) {
            return e.frame().sseText();
        } else if (item instanceof Control c) {
            return c.text();
        } else if (item instanceof Truncated t) {
            return SseFormat.named("replay_truncated", "{\"resume_after_id\":" + t.resumeAfterId() + '}');
        } else if (item instanceof Lagged l) {
            return SseFormat.named("lagged", "{\"missed\":" + l.missed + '}');
        }
        return "";
    }

    private void finish() {
        markClosed();
        try {
            async.complete();
        } catch (IllegalStateException ignored) {
            // already completed by the container (client gone)
        }
    }

    @Override
    protected void afterLagged(ArrayDeque<Object> outbox) {
        // An SSE client cannot resubscribe in-band: end the stream; EventSource reconnects with Last-Event-ID.
        outbox.add(new Close(0, "lagged"));
    }

    @Override
    protected void keepalive() {
        if (!hasQueuedOutput()) {
            send(new Control(KEEPALIVE));
        }
    }

    @Override
    protected void closeStuck() {
        finish();
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        finish();
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
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched
    }
}
