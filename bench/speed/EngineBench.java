import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.Timestamps;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.storage.sqlite.SqliteStorage;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 20: the group commit without HTTP. THREADS callers each write single events in a loop
 * against a real SQLite file (synchronous=FULL); prints writes/s, wall µs per write, process CPU µs
 * per write and context switches per write (from /proc). Run it on two jars to compare engines:
 *   java -cp argus-service/target/argus-service.jar bench/speed/EngineBench.java 1 20000   # threads, writes
 * (-Dsync=NORMAL drops the fsync of each commit, to see its share)
 */
public class EngineBench {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        int writes = Integer.parseInt(a[1]);
        Path dir = Files.createTempDirectory("engine-bench");
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setPath(dir.resolve("events.db").toString());
        cfg.setSynchronous(System.getProperty("sync", "FULL"));   // -Dsync=NORMAL: no fsync per commit, to see its share
        SqliteStorage db = new SqliteStorage(cfg);
        db.migrate();
        IngestEngine engine = new IngestEngine(db.writer(), 100_000, new MetricRegistry());
        engine.start();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int pass = 0; pass < 2; pass++) {
            int n = pass == 0 ? writes / 4 : writes;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long cs0 = switches();
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < n / threads; i++) {
                        engine.write(List.of(new NewEvent("engine-bench", "t", null, "message " + i, Timestamps.nowMicros(),
                                null, List.of(), "[]", null, null)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long cs = switches() - cs0;
            if (pass == 1) {
                System.out.printf("threads %d: %.0f writes/s  %.1f µs wall/write  %.1f µs CPU/write  %.2f switches/write%n",
                        threads, n / (wall / 1e9), wall / 1e3 / n, cpu / 1e3 / n, (double) cs / n);
            }
        }
        pool.shutdown();
        engine.stop();
        System.exit(0);
    }

    static long switches() throws Exception {
        long n = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.contains("ctxt_switches")) {
                            n += Long.parseLong(line.replaceAll("\\D", ""));
                        }
                    }
                } catch (java.io.IOException gone) {
                    // a thread that ended
                }
            }
        }
        return n;
    }
}
