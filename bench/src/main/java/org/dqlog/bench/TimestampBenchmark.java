package org.dqlog.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.Timestamps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Timestamps#parse} of the canonical form every dqlog producer writes (read in place
 * since issue 11) beside the same instant with an explicit offset, which still goes through the
 * lenient {@code DateTimeFormatter} (the path every {@code ts} took before).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TimestampBenchmark {

    private final String canonical = "2026-11-26T23:59:59.123456Z";
    private final String withOffset = "2026-11-26T23:59:59.123456+00:00";

    @Benchmark
    public Instant canonical() {
        return Timestamps.parse(canonical);
    }

    @Benchmark
    public Instant formatterPath() {
        return Timestamps.parse(withOffset);
    }
}
