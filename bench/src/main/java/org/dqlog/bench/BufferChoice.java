package org.dqlog.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.publish.AsyncSender;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.core.spool.BoundedRecordQueue;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolEntry;
import org.dqlog.testkit.BrokerProcess;

/**
 * Issue 10's choice of buffer, measured on the application thread: what one record costs the
 * thread that logs it, and what the whole process spends on it (CPU time per record, all threads),
 * for
 * <ol>
 * <li><b>spill past a mark</b> (what dqlog does): the real {@link AsyncSender} into a healthy
 *     broker; records stay in memory unless memory passes half its bound;</li>
 * <li><b>write-ahead</b> (Vector's disk buffer, Fluent Bit's filesystem storage): every record is
 *     handed to memory and a writer thread appends every one to a {@link DiskSpool}, which the
 *     sink would then read back (not counted here: this case is cheaper than the real thing);</li>
 * <li><b>the overflow path</b>: the application thread appends to the spool itself, which dqlog
 *     does only when memory is full.</li>
 * </ol>
 *
 * <pre>java -Xmx512m -cp CP org.dqlog.bench.BufferChoice [--records 200000] [--rounds 3]</pre>
 */
public final class BufferChoice {

    private BufferChoice() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, "--records", "--rounds", "--paced-rate");
        int records = args.intValue("--records", 200_000);
        int rounds = args.intValue("--rounds", 3);
        int pacedRate = args.intValue("--paced-rate", 20_000);
        System.out.printf("BufferChoice: %,d records of ~300 bytes per case, %d rounds; %s%n", records, rounds,
                Machine.describe());
        Path dir = Files.createTempDirectory("dqlog-bench-buffer");
        try (BrokerProcess broker = BrokerProcess.builder(dir.resolve("broker")).name("bench-broker")
                .jvmOptions(List.of("-Xmx512m")).start()) {
            for (int round = 1; round <= rounds; round++) {
                print("spill past a mark (AsyncSender, healthy broker)", spillPastMark(broker, dir.resolve("s" + round), records));
                print("spill past a mark (memory, sink keeps up)", buffered(dir.resolve("m" + round), records, false, 0));
                print("write-ahead (writer thread appends every record)", buffered(dir.resolve("w" + round), records, true, 0));
                print("spill past a mark, paced " + pacedRate + "/s", buffered(dir.resolve("mp" + round), records, false, pacedRate));
                print("write-ahead, paced " + pacedRate + "/s", buffered(dir.resolve("wp" + round), records, true, pacedRate));
                print("overflow path (application thread appends)", applicationAppends(dir.resolve("o" + round), records));
            }
        } finally {
            TempDirs.deleteQuietly(dir);
        }
        System.out.println("load average after: " + Machine.loadAverage());
    }

    private static Result spillPastMark(BrokerProcess broker, Path spool, int records) throws Exception {
        SenderConfig config = SenderConfig.builder().brokers(broker.uri()).app("bench-buffer").spoolDir(spool).build();
        AsyncSender sender = AsyncSender.start(config, Status.SILENT);
        try {
            LatencySamples samples = new LatencySamples(records);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                LogRecord r = record(i);
                long t = System.nanoTime();
                sender.submit(r);
                samples.add(System.nanoTime() - t);
            }
            long elapsed = System.nanoTime() - start;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (sender.stats().sent() < records && System.nanoTime() < deadline) {
                Thread.sleep(50); // a benchmark's wait for the backlog, not a test verdict
            }
            return new Result(samples, elapsed, processCpuNanos() - cpu, records,
                    "spooled " + sender.stats().spooled() + ", dropped " + sender.stats().dropped());
        } finally {
            sender.close();
        }
    }

    /**
     * The two designs side by side on the same pre-encoded entries, with a stand-in for a healthy
     * sink (a thread that takes what memory holds) and the same overflow rule (memory full: the
     * application thread appends to the spool itself, so neither drops anything):
     * {@code writeAhead} false spills only past half the queue, true writes every record.
     */
    private static Result buffered(Path dir, int records, boolean writeAhead, int ratePerSecond) throws Exception {
        DropCounter drops = new DropCounter();
        BoundedRecordQueue memory = new BoundedRecordQueue(BoundedRecordQueue.DEFAULT_CAPACITY,
                BoundedRecordQueue.DEFAULT_MAX_BYTES, drops);
        int highWater = BoundedRecordQueue.DEFAULT_CAPACITY / 2;
        try (DiskSpool spool = DiskSpool.open(dir, DiskSpool.DEFAULT_SPOOL_MAX_BYTES, drops, Status.SILENT)) {
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong onDisk = new java.util.concurrent.atomic.AtomicLong();
            Thread worker = new Thread(() -> {
                List<SpoolEntry> chunk = new ArrayList<>();
                try {
                    while (done.get() < records) {
                        chunk.clear();
                        if (memory.drainTo(chunk, 100, Long.MAX_VALUE) == 0) {
                            memory.awaitNotEmpty(Duration.ofMillis(10));
                            continue;
                        }
                        if (writeAhead || memory.size() > highWater) {
                            onDisk.addAndGet(spool.append(chunk)); // the sink would read these back from disk
                        }
                        done.addAndGet(chunk.size());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, writeAhead ? "writer" : "sink-and-spiller");
            LatencySamples samples = new LatencySamples(records);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            worker.start();
            long gapNanos = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
            for (int i = 0; i < records; i++) {
                SpoolEntry e = entry(i);
                while (gapNanos > 0 && System.nanoTime() - start < i * gapNanos) {
                    Thread.onSpinWait(); // an application that logs at a steady rate
                }
                long t = System.nanoTime();
                if (!memory.offerIfRoom(e)) {
                    if (spool.appendIfRoom(e)) {
                        onDisk.incrementAndGet();
                        done.incrementAndGet();
                    }
                }
                samples.add(System.nanoTime() - t);
            }
            long elapsed = System.nanoTime() - start;
            worker.join();
            spool.force();
            return new Result(samples, elapsed, processCpuNanos() - cpu, records,
                    "to disk " + onDisk.get() + ", dropped " + drops.snapshot().total());
        }
    }

    private static Result applicationAppends(Path dir, int records) throws Exception {
        try (DiskSpool spool = DiskSpool.open(dir, DiskSpool.DEFAULT_SPOOL_MAX_BYTES, new DropCounter(), Status.SILENT)) {
            LatencySamples samples = new LatencySamples(records);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            long stored = 0;
            for (int i = 0; i < records; i++) {
                SpoolEntry e = entry(i);
                long t = System.nanoTime();
                stored += spool.appendIfRoom(e) ? 1 : 0;
                samples.add(System.nanoTime() - t);
            }
            long elapsed = System.nanoTime() - start;
            spool.force();
            return new Result(samples, elapsed, processCpuNanos() - cpu, records, "stored " + stored);
        }
    }

    private static LogRecord record(int i) {
        return LogRecord.builder().level(i % 50 == 0 ? Level.WARN : Level.INFO).logger("org.atlas.dqm.web.HistogramService")
                .thread("main").message("histogram " + i + " of run 456789 rendered in 12 ms for the shifter's display, "
                        + "cache hit ratio 0.93, 1,024 bins, stream physics_Main").putMdc("run", "456789").build();
    }

    private static SpoolEntry entry(int i) {
        String id = "bench-" + i;
        String body = "{\"id\":\"" + id + "\",\"level\":\"INFO\",\"message\":\"" + "x".repeat(260) + "\"}";
        return SpoolEntry.wrap(id, Level.INFO, false, body.getBytes(StandardCharsets.UTF_8));
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    private static void print(String name, Result r) {
        System.out.printf("%-52s app thread: mean %,6d ns, p50 %,6d ns, p99 %,7d ns, p99.9 %,8d ns; %,9.0f records/s offered;"
                        + " process CPU %,6d ns/record; %s; load %s%n",
                name, r.samples.mean(), r.samples.percentile(50), r.samples.percentile(99), r.samples.percentile(99.9),
                r.records / (r.elapsedNanos / 1e9), r.cpuNanos / r.records, r.note, Machine.loadAverage());
    }

    private static final class Result {
        final LatencySamples samples;
        final long elapsedNanos;
        final long cpuNanos;
        final int records;
        final String note;

        Result(LatencySamples samples, long elapsedNanos, long cpuNanos, int records, String note) {
            this.samples = samples;
            this.elapsedNanos = elapsedNanos;
            this.cpuNanos = cpuNanos;
            this.records = records;
            this.note = note;
        }
    }
}
