package org.dqlog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dqlog.archive.IdFilter;
import org.dqlog.archive.lucene.LogIndex;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The duplicate check of a NEW record (nearly every record the collector receives), against an
 * index of {@code records} records: the exact check, a term lookup in every segment of the
 * index ({@link LogIndex#contains}, what every record cost before issue 11), beside the Bloom
 * filter ({@link IdFilter#mightContain}) that now answers it, the index asked only on a maybe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx512m")
public class DedupBenchmark {

    @Param({"200000"})
    public int records;

    private Path dir;
    private LogIndex index;
    private IdFilter filter;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("dqlog-dedup-bench");
        index = LogIndex.open(dir.resolve("index"));
        LogRecord sample = SampleRecords.typical();
        filter = new IdFilter(records, IdFilter.DEFAULT_MAX_BYTES);
        for (int i = 0; i < records; i++) {
            LogRecord r = sample.toBuilder().id("k3q7vz0m2h5c-" + i).build();
            index.add(r, LogLine.format(r));
            filter.add(r.id());
            if (i % 20_000 == 0) {
                index.commit(); // segments as a collector's commits leave them
            }
        }
        index.commit();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        index.close();
        TempDirs.deleteQuietly(dir);
    }

    private String newId() {
        return "p9x2new0inst-" + next++;
    }

    @Benchmark
    public boolean exactIndexLookup() throws IOException {
        return index.contains(newId());
    }

    @Benchmark
    public boolean filterThenIndex() throws IOException {
        String id = newId();
        return filter.mightContain(id) && index.contains(id);
    }
}
