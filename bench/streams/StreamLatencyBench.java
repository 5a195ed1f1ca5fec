// POST-to-receive latency of the live streams (not a test): N WebSocket subscribers, events
// posted one per request (paced or unpaced), latency = time the subscriber got the event minus
// time just before its POST was sent. Poster and subscribers share one JVM, so System.nanoTime()
// is one clock. No dependencies: run with `java StreamLatencyBench.java --url ... --key ...`.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

public class StreamLatencyBench {
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8765";
        String key = null;
        int[] subscriberCounts = {1, 10, 100};
        int seconds = 10;
        int rate = 1000;
        int unpacedEvents = 20_000;
        int concurrency = 8;
        String modes = "paced,unpaced";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--key" -> key = args[i + 1];
                case "--subscribers" -> subscriberCounts = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--unpaced-events" -> unpacedEvents = Integer.parseInt(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--modes" -> modes = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("--key is required");
        }
        System.out.println("POST-to-receive latency over all (subscriber, event) pairs, first 10% of events excluded;"
                + " then POST round trip (request sent -> 201 received), then received_at stamp -> delivered (wall clock, µs resolution)");
        System.out.printf("%-12s %-10s %9s %9s %8s %8s %8s %8s %8s | %8s %8s | %8s %8s%n",
                "subscribers", "mode", "events", "posted/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "ack p50", "ack p99",
                "rcv p50", "rcv p99");
        for (int n : subscriberCounts) {
            if (Arrays.asList(modes.split(",")).contains("paced")) {
                new Run(url, key, n).paced(rate, seconds);
            }
            if (Arrays.asList(modes.split(",")).contains("unpaced")) {
                new Run(url, key, n).unpaced(unpacedEvents, concurrency);
            }
        }
    }

    static final class Run {
        final String url;
        final String key;
        final int subscribers;
        final String runId = Long.toString(System.nanoTime(), 36);
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long[] sentAt;
        long[] ackAt;
        long[] latencies;
        long[] fromCommit;
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger latencyCount = new AtomicInteger();
        volatile int warmup;

        Run(String url, String key, int subscribers) {
            this.url = url;
            this.key = key;
            this.subscribers = subscribers;
        }

        /** Posts event i at start + i/rate from a few blocking posters; parks instead of spinning (2-core machine). */
        void paced(int rate, int seconds) throws Exception {
            int total = rate * seconds;
            prepare(total);
            List<WebSocket> sockets = connect();
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            Thread[] posters = new Thread[8];
            for (int t = 0; t < posters.length; t++) {
                posters[t] = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        long wait = start + i * interval - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        postAsync(i).join();
                    }
                });
                posters[t].start();
            }
            for (Thread t : posters) {
                t.join();
            }
            double postedPerSecond = total / ((System.nanoTime() - start) / 1e9);
            finish(sockets, total, rate + "/s", postedPerSecond);
        }

        void unpaced(int total, int concurrency) throws Exception {
            prepare(total);
            List<WebSocket> sockets = connect();
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            Thread[] posters = new Thread[concurrency];
            for (int t = 0; t < concurrency; t++) {
                posters[t] = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        try {
                            postAsync(i).join();
                        } catch (RuntimeException e) {
                            throw e;
                        }
                    }
                });
                posters[t].start();
            }
            for (Thread t : posters) {
                t.join();
            }
            double postedPerSecond = total / ((System.nanoTime() - start) / 1e9);
            finish(sockets, total, "unpaced", postedPerSecond);
        }

        void prepare(int total) {
            sentAt = new long[total];
            ackAt = new long[total];
            latencies = new long[total * subscribers];
            fromCommit = new long[total * subscribers];
            warmup = total / 10;
        }

        CompletableFuture<HttpResponse<Void>> postAsync(int i) {
            String body = "{\"source\":\"bench-" + runId + "\",\"event_type\":\"bench\",\"level\":\"info\","
                    + "\"message\":\"seq " + i + " of the stream latency benchmark\",\"data\":{\"i\":" + i + "}}";
            HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/events")).header("X-API-Key", key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            sentAt[i] = System.nanoTime();
            return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenApply(r -> {
                ackAt[i] = System.nanoTime();
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("POST answered " + r.statusCode());
                }
                return r;
            });
        }

        List<WebSocket> connect() throws Exception {
            List<WebSocket> sockets = new ArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(subscribers);
            URI ws = URI.create(url.replaceFirst("^http", "ws") + "/ws");
            for (int s = 0; s < subscribers; s++) {
                WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, new Listener(subscribed)).join();
                socket.sendText("{\"type\":\"auth\",\"api_key\":\"" + key + "\"}", true).join();
                socket.sendText("{\"type\":\"subscribe\",\"filters\":{\"source\":\"bench-" + runId + "\"}}", true).join();
                sockets.add(socket);
            }
            if (!subscribed.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscribers did not get subscribe_result");
            }
            return sockets;
        }

        void finish(List<WebSocket> sockets, int total, String mode, double postedPerSecond) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < total * subscribers && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (WebSocket s : sockets) {
                s.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
            }
            int n = latencyCount.get();
            long[] l = Arrays.copyOf(latencies, n);
            Arrays.sort(l);
            int from = warmup;
            long[] ack = new long[total - from];
            for (int i = from; i < total; i++) {
                ack[i - from] = ackAt[i] - sentAt[i];
            }
            Arrays.sort(ack);
            long[] fc = Arrays.copyOf(fromCommit, n);
            Arrays.sort(fc);
            System.out.printf("%-12d %-10s %9d %9.0f %8.2f %8.2f %8.2f %8.2f %8.2f | %8.2f %8.2f | %8.2f %8.2f%s%n", subscribers, mode, total,
                    postedPerSecond, ms(l, 0.50), ms(l, 0.90), ms(l, 0.99), ms(l, 0.999), n == 0 ? 0 : l[n - 1] / 1e6,
                    ms(ack, 0.50), ms(ack, 0.99), ms(fc, 0.50), ms(fc, 0.99),
                    received.get() < total * subscribers ? "  (missing " + (total * subscribers - received.get()) + ")" : "");
        }

        static double ms(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
        }

        final class Listener implements WebSocket.Listener {
            final CountDownLatch subscribed;
            final StringBuilder partial = new StringBuilder();

            Listener(CountDownLatch subscribed) {
                this.subscribed = subscribed;
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                long now = System.nanoTime();
                partial.append(data);
                if (last) {
                    String m = partial.toString();
                    partial.setLength(0);
                    int at = m.indexOf("\"message\":\"seq ");
                    if (at >= 0) {
                        int from = at + 15;
                        int seq = Integer.parseInt(m, from, m.indexOf(' ', from), 10);
                        received.incrementAndGet();
                        if (seq >= warmup) {
                            int k = latencyCount.getAndIncrement();
                            latencies[k] = now - sentAt[seq];
                            // received_at is stamped by the server just before the commit that holds the event.
                            int r = m.indexOf("\"received_at\":\"") + 15;
                            Instant stamped = Instant.parse(m.substring(r, m.indexOf('"', r)));
                            Instant wall = Instant.now();
                            fromCommit[k] = (wall.getEpochSecond() - stamped.getEpochSecond()) * 1_000_000_000L
                                    + wall.getNano() - stamped.getNano();
                        }
                    } else if (m.contains("subscribe_result")) {
                        subscribed.countDown();
                    } else if (m.contains("\"lagged\"")) {
                        System.err.println("lagged: " + m);
                    }
                }
                ws.request(1);
                return null;
            }
        }
    }
}
