package bench.agent;

import dev.argus.annotations.Observed;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Per-call cost of an {@code @Observed} method in batch mode: the same tiny method with and
 * without the annotation, in one JVM started with {@code -javaagent:argus-agent.jar}. The
 * difference is what the agent adds to the calling thread (timing, event building, queue hand-off).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservedCallBenchmark {
    private int x = 17;

    @Benchmark
    public int plain() {
        return plainWork(x);
    }

    @Benchmark
    public int observed() {
        return observedWork(x);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int plainWork(int v) {
        return v * 31 + 7;
    }

    @Observed
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int observedWork(int v) {
        return v * 31 + 7;
    }
}
