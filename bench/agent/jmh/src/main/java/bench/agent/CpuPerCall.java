package bench.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Companion to {@link ObservedCallBenchmark} for a shared, busy machine: measures the calling
 * thread's CPU time per call (ThreadMXBean), which time spent descheduled does not inflate.
 * Run with {@code -javaagent:argus-agent.jar=...}; prints median ns/call of 7 rounds.
 */
public final class CpuPerCall {
    private static volatile int sink;

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (args.length > 1 && args[1].equals("paced")) {
            paced(mx, calls);
            return;
        }
        for (int warm = 0; warm < 3; warm++) {
            round(mx, calls, true);
            round(mx, calls, false);
        }
        long[] observed = new long[7];
        long[] plain = new long[7];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = round(mx, calls, true);
            plain[i] = round(mx, calls, false);
        }
        java.util.Arrays.sort(observed);
        java.util.Arrays.sort(plain);
        System.out.printf("thread CPU per call (median of 7 rounds of %d calls): observed %.1f ns, plain %.1f ns, "
                        + "overhead %.1f ns%n", calls, observed[3] / (double) calls, plain[3] / (double) calls,
                (observed[3] - plain[3]) / (double) calls);
    }

    /**
     * At 10,000 calls/s (100 calls every 10 ms), which a local server keeps up with, so every event
     * is queued and sent rather than dropped: CPU of the calling thread per call, over {@code calls}.
     */
    private static void paced(ThreadMXBean mx, int calls) {
        for (boolean observed : new boolean[] {true, false, true, false}) {
            long cpu = 0;
            int acc = 0;
            for (int done = 0; done < calls; done += 100) {
                long start = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < 100; i++) {
                    acc += observed ? ObservedCallBenchmark.observedWork(i) : ObservedCallBenchmark.plainWork(i);
                }
                cpu += mx.getCurrentThreadCpuTime() - start;
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
            sink = acc;
            System.out.printf("paced 10,000 calls/s, %s: thread CPU %.1f ns per call (incl. ~%s reading the CPU clock per 100 calls)%n",
                    observed ? "observed" : "plain", cpu / (double) calls, "1 µs");
        }
    }

    private static long round(ThreadMXBean mx, int calls, boolean observed) {
        long start = mx.getCurrentThreadCpuTime();
        int acc = 0;
        for (int i = 0; i < calls; i++) {
            acc += observed ? ObservedCallBenchmark.observedWork(i) : ObservedCallBenchmark.plainWork(i);
        }
        sink = acc;
        return mx.getCurrentThreadCpuTime() - start;
    }
}
