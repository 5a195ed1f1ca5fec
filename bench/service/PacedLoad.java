import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends POSTs at a fixed total rate from 16 blocking workers and reports latency percentiles
 * measured from each request's scheduled start, so a stall counts against every request it delays
 * (no coordinated omission). {@code java bench/service/PacedLoad.java URL KEY RATE SECONDS BODYFILE}
 */
public class PacedLoad {
    public static void main(String[] a) throws Exception {
        URI uri = URI.create(a[0]);
        String key = a[1];
        int rate = Integer.parseInt(a[2]);
        int seconds = Integer.parseInt(a[3]);
        String body = Files.readString(Path.of(a[4]));
        int workers = 16;
        int total = rate * seconds;
        long[] lat = new long[total];
        AtomicInteger errors = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 200_000_000L;
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads[w] = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest req = HttpRequest.newBuilder(uri).header("X-API-Key", key)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                for (int i = worker; i < total; i += workers) {
                    long due = start + i * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    lat[i] = System.nanoTime() - due;
                }
            });
            threads[w].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Arrays.sort(lat);
        System.out.printf("rate=%d/s n=%d errors=%d p50=%.3fms p90=%.3fms p99=%.3fms max=%.3fms%n", rate, total,
                errors.get(), lat[total / 2] / 1e6, lat[(int) (total * 0.9)] / 1e6, lat[(int) (total * 0.99)] / 1e6,
                lat[total - 1] / 1e6);
    }
}
