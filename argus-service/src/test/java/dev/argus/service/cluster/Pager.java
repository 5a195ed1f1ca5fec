package dev.argus.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A client paging {@code GET /events?after_id=N&order=asc&limit=100} continuously, each page after
 * the last id of the previous one, as the dashboard and a resuming client do.
 */
final class Pager implements AutoCloseable {
    private final ArgusNode node;
    private final String source;
    private final List<Long> ids = new ArrayList<>();
    private final Thread loop;
    private volatile boolean closed;

    Pager(ArgusNode node, String source) {
        this.node = node;
        this.source = source;
        this.loop = new Thread(this::run, "pager@" + node.name());
        this.loop.setDaemon(true);
        this.loop.start();
    }

    private void run() {
        while (!closed) {
            try {
                List<JsonNode> page = node.pageAfter(lastId(), 100, "source=" + source);
                synchronized (this) {
                    for (JsonNode e : page) {
                        ids.add(e.get("id").asLong());
                    }
                }
                if (page.isEmpty()) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(200);   // node down: try again
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    synchronized long lastId() {
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    synchronized List<Long> ids() {
        return List.copyOf(ids);
    }

    @Override
    public String toString() {
        return loop.getName();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        loop.interrupt();
        loop.join(10_000);
    }
}
