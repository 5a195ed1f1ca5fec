package dev.argus.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Concurrent writers: each sends single events and small batches, every event with its own
 * {@code uuid}, each request bounded by a time-out. A request that was not answered 2xx (503, cut
 * connection, time-out) is sent again with the same body — to another node when the writer has
 * several — until it is acknowledged or the load stops; so a retry of an event that did commit
 * must not store it twice. Records what was acknowledged (uuid → id) and how requests failed.
 */
final class Load implements AutoCloseable {
    final String source;
    private final IntFunction<ArgusNode> nodeFor;
    private final int nodeCount;
    private final Duration requestTimeout;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    final AtomicInteger requestsOk = new AtomicInteger();
    final AtomicInteger answered503 = new AtomicInteger();
    final AtomicInteger connectionFailures = new AtomicInteger();
    final AtomicInteger duplicatesAnswered = new AtomicInteger();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicLong slowestNanos = new AtomicLong();

    /**
     * @param nodeFor the node a request goes to, by (writer index + request number + attempt):
     *                requests and their retries go round the {@code nodeCount} nodes
     */
    Load(String source, int writers, int nodeCount, IntFunction<ArgusNode> nodeFor, Duration requestTimeout) {
        this.source = source;
        this.nodeFor = nodeFor;
        this.nodeCount = nodeCount;
        this.requestTimeout = requestTimeout;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(writer), "load-" + source + "-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    Load start() {
        threads.forEach(Thread::start);
        return this;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    private void write(int writer) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int attempt = 0;
        for (int n = 0; !stopped; n++) {
            int size = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(10) : 0;   // 0 = a single POST /events
            List<String> uuids = new ArrayList<>();
            StringBuilder body = new StringBuilder(size == 0 ? "" : "[");
            for (int k = 0; k < Math.max(1, size); k++) {
                String u = UUID.randomUUID().toString();
                uuids.add(u);
                body.append(k == 0 ? "" : ",").append("{\"source\":\"").append(source)
                        .append("\",\"event_type\":\"load\",\"uuid\":\"").append(u)
                        .append("\",\"message\":\"w").append(writer).append('-').append(n).append("\"}");
            }
            if (size > 0) {
                body.append(']');
            }
            String path = size == 0 ? "/events" : "/events/batch";
            while (!stopped) {
                ArgusNode node = nodeFor.apply((writer + n + attempt) % nodeCount);
                long t0 = System.nanoTime();
                HttpResponse<String> r;
                try {
                    r = node.post(path, body.toString(), requestTimeout);
                } catch (IOException e) {
                    slowest(t0);
                    connectionFailures.incrementAndGet();
                    attempt++;
                    pause(50);
                    continue;
                } catch (InterruptedException e) {
                    return;
                }
                slowest(t0);
                int status = r.statusCode();
                if (status == 201 || status == 200) {
                    record(uuids, r.body(), size == 0);
                    if (status == 200) {
                        duplicatesAnswered.incrementAndGet();
                    }
                    requestsOk.incrementAndGet();
                    break;
                }
                if (status == 503) {
                    answered503.incrementAndGet();
                } else {
                    unexpected.add(status + " " + r.body());
                }
                attempt++;
                pause(50);
            }
        }
    }

    private void record(List<String> uuids, String body, boolean single) {
        JsonNode answer;
        try {
            answer = ArgusNode.JSON.readTree(body);
        } catch (IOException e) {
            unexpected.add("unreadable 2xx body: " + body);
            return;
        }
        if (single) {
            acknowledged.put(uuids.get(0), answer.get("event_id").asLong());
        } else {
            JsonNode ids = answer.get("event_ids");
            for (int i = 0; i < uuids.size(); i++) {
                acknowledged.put(uuids.get(i), ids.get(i).asLong());
            }
        }
    }

    private void slowest(long t0) {
        long took = System.nanoTime() - t0;
        slowestNanos.accumulateAndGet(took, Math::max);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the writers; a request in flight finishes (bounded by its time-out). */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(requestTimeout.toMillis() + 10_000);
        }
    }
}
