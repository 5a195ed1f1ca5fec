import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends POSTs at a fixed total rate from 64 workers, each on its own keep-alive connection with a
 * minimal blocking HTTP/1.1 exchange (so the load generator stays cheap), and reports latency
 * percentiles measured from each request's scheduled start: a stall counts against every request
 * it delays (no coordinated omission).
 * {@code java bench/service/PacedLoad.java URL KEY RATE SECONDS BODYFILE}
 */
public class PacedLoad {
    public static void main(String[] a) throws Exception {
        URI uri = URI.create(a[0]);
        String key = a[1];
        int rate = Integer.parseInt(a[2]);
        int seconds = Integer.parseInt(a[3]);
        byte[] body = Files.readAllBytes(Path.of(a[4]));
        byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        int workers = 64;
        int total = rate * seconds;
        long[] lat = new long[total];
        AtomicInteger errors = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 300_000_000L;
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads[w] = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    for (int i = worker; i < total; i += workers) {
                        long due = start + i * interval;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(request);
                        out.flush();
                        if (readResponse(in) >= 300) {
                            errors.incrementAndGet();
                        }
                        lat[i] = System.nanoTime() - due;
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
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

    /** Reads one response (status line, headers, Content-Length body); returns the status. */
    private static int readResponse(InputStream in) throws Exception {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        String h;
        while (!(h = line(in)).isEmpty()) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            if (in.read() < 0) {
                throw new IllegalStateException("connection closed");
            }
        }
        return code;
    }

    private static String line(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IllegalStateException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
