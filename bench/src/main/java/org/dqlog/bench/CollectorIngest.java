package org.dqlog.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.dqlog.collector.CollectorMain;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.LogLayout;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.Publisher;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;

/**
 * Issue 11's ingest benchmark: records per second from a pre-filled pair of real brokers until
 * all are searchable (documents in the committed index), with the collector as a child process
 * at {@code -Xmx256m}, beside Lucene's own {@code IndexWriter.updateDocument} on the same
 * documents (the collector's schema, the same records), in the same run. The brokers are filled
 * twice with the same records: as {@code MsgType:LogBatch} messages (one host per batch, the
 * records as JSON lines) and as one message per record, the baseline. The collector's peak
 * resident memory is its {@code VmHWM}.
 *
 * <pre>java -Xmx1g -cp CP org.dqlog.bench.CollectorIngest [--records 200000] [--per-batch 500] [--jfr DIR]
 *     [--collector-jvm "-XX:+UseSerialGC"] [--skip-single true]</pre>
 * The collector always runs with {@code -Xmx256m}; {@code --collector-jvm} adds options.
 */
public final class CollectorIngest {

    private static final Pattern READY = Pattern.compile("^" + CollectorMain.READY_PREFIX + ".*$");
    private static final int HOSTS = 8;
    private static final int PUBLISH_CHUNK = 200;
    private static final Duration LONGEST_RUN = Duration.ofMinutes(15);
    /** Linux's USER_HZ, the unit of {@code /proc/PID/stat}'s times, on every common platform. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CollectorIngest() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, "--records", "--per-batch", "--jfr", "--collector-jvm", "--skip-single");
        int count = args.intValue("--records", 200_000);
        int perBatch = args.intValue("--per-batch", 500);
        String jfr = args.string("--jfr", null);
        List<String> collectorJvm = new ArrayList<>(List.of("-Xmx256m"));
        String extra = args.string("--collector-jvm", "");
        if (!extra.isBlank()) {
            collectorJvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        boolean skipSingle = Boolean.parseBoolean(args.string("--skip-single", "false"));
        List<LogRecord> records = records(count);
        System.out.printf("CollectorIngest: %,d records of about %d bytes, %d per LogBatch message; %s%n", count,
                RecordCodec.encode(records.get(0)).length, perBatch, Machine.describe());
        Path work = Files.createTempDirectory("dqlog-bench-ingest");
        try {
            Run lucene = rawLucene(records, work.resolve("lucene"));
            report("raw Lucene IndexWriter.updateDocument + commit", count, lucene, lucene);
            try (BrokerProcess a = broker(work.resolve("broker-a"), "bench-broker-a");
                    BrokerProcess b = broker(work.resolve("broker-b"), "bench-broker-b")) {
                Run batched = collector(a, b, work, "batched", batchMessages(records, perBatch), count, collectorJvm, jfr);
                report("collector, LogBatch messages of " + perBatch, count, batched, lucene);
                if (!skipSingle) {
                    Run single = collector(a, b, work, "single", singleMessages(records), count, collectorJvm, null);
                    report("collector, one message per record", count, single, lucene);
                }
            }
        } finally {
            TempDirs.deleteQuietly(work);
        }
    }

    /** What one collector run measured. */
    private record Run(double seconds, double cpuSeconds, long peakRssKb, long peakAnonKb) { }

    /**
     * Wall-clock rate and CPU cost, each against raw Lucene. On a machine shared with other builds
     * the wall-clock ratio depends on how much of the cores each process got; records per CPU
     * second (all threads of the process: readers, merges, commits) does much less.
     */
    private static void report(String what, int count, Run run, Run lucene) {
        System.out.printf("%-48s %,9.0f records/s  %.2fx raw Lucene  (%.1f s) | %,9.0f records/CPU-s  %.2fx raw Lucene"
                + " (%.1f CPU-s)%s  load %s%n", what, count / run.seconds, lucene.seconds / run.seconds, run.seconds,
                count / run.cpuSeconds, lucene.cpuSeconds / run.cpuSeconds, run.cpuSeconds,
                run.peakRssKb < 0 ? "" : String.format("  peak RSS %,d MB (anonymous %,d MB)", run.peakRssKb / 1024,
                        run.peakAnonKb / 1024),
                Machine.loadAverage());
    }

    /** Distinct records as a busy service logs them, spread over {@value #HOSTS} hosts in runs (one host per batch). */
    static List<LogRecord> records(int count) {
        LogRecord typical = SampleRecords.typical();
        List<LogRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(typical.toBuilder().id(String.format("ingest-%09d", i))
                    .host(String.format("pc-tier0-%02d", (i / 1000) % HOSTS))
                    .ts(typical.ts().plusMillis(i))
                    .message(typical.message() + " #" + i).build());
        }
        return out;
    }

    /** Lucene alone indexing the records' documents (the collector's schema) and committing: wall and CPU seconds. */
    static Run rawLucene(List<LogRecord> records, Path dir) throws IOException {
        long cpuStart = cpuTicks(ProcessHandle.current().pid());
        long start = System.nanoTime();
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(32); // as the collector's LogIndex
        try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
            for (LogRecord r : records) {
                writer.updateDocument(new Term(IndexSchema.ID, r.id()), IndexSchema.document(r, LogLine.format(r)));
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(seconds, (cpuTicks(ProcessHandle.current().pid()) - cpuStart) / TICKS_PER_SECOND, -1, -1);
    }

    /** User and system CPU time of a process so far, in clock ticks ({@code /proc/PID/stat} fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** LogBatch messages: runs of {@code perBatch} records of one host, as JSON lines. */
    static List<OutboundMessage> batchMessages(List<LogRecord> records, int perBatch) {
        List<OutboundMessage> out = new ArrayList<>();
        List<LogRecord> batch = new ArrayList<>(perBatch);
        for (LogRecord r : records) {
            if (!batch.isEmpty() && (batch.size() == perBatch || !batch.get(0).host().equals(r.host()))) {
                out.add(batchMessage(batch));
                batch.clear();
            }
            batch.add(r);
        }
        if (!batch.isEmpty()) {
            out.add(batchMessage(batch));
        }
        return out;
    }

    private static OutboundMessage batchMessage(List<LogRecord> batch) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        org.dqlog.core.Level highest = org.dqlog.core.Level.TRACE;
        for (LogRecord r : batch) {
            body.writeBytes(RecordCodec.encode(r));
            body.write('\n');
            highest = r.level().compareTo(highest) > 0 ? r.level() : highest;
        }
        Map<String, String> headers = new LinkedHashMap<>(WireMessages.sendHeaders(batch.get(0), "/queue/x"));
        headers.put("MsgType", "LogBatch");
        headers.put("level", highest.name());
        return OutboundMessage.of("logging", headers, body.toByteArray());
    }

    static List<OutboundMessage> singleMessages(List<LogRecord> records) {
        List<OutboundMessage> out = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            out.add(OutboundMessage.of("logging", WireMessages.sendHeaders(r, "/queue/x"), RecordCodec.encode(r)));
        }
        return out;
    }

    private static BrokerProcess broker(Path data, String name) throws IOException {
        // Full JIT for the brokers, as in production; the testkit default (C1 only) suits short tests.
        return BrokerProcess.builder(data).name(name).jvmOptions(List.of("-Xmx512m")).start();
    }

    /** Fills both brokers (half each, with receipts), then times a collector from ready to all searchable. */
    private static Run collector(BrokerProcess a, BrokerProcess b, Path work, String name, List<OutboundMessage> messages,
            int expected, List<String> collectorJvm, String jfr) throws Exception {
        String queue = "/queue/bench." + name + ".logging";
        int half = messages.size() / 2;
        CompletableFuture.allOf(fill(a, queue, messages.subList(0, half)),
                fill(b, queue, messages.subList(half, messages.size()))).get();
        Path data = work.resolve("data-" + name);
        Path config = work.resolve(name + "-collector.yaml");
        Files.writeString(config, "brokers:\n  - " + a.uri() + "\n  - " + b.uri() + "\n"
                + "data: " + data + "\n"
                + "destinations:\n  logging: " + queue + "\n  panic: /queue/bench." + name + ".panic\n"
                + "minFreeBytes: 64MiB\nhttp:\n  port: 0\n");
        List<String> jvm = new ArrayList<>(collectorJvm);
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath().resolve(name + ".jfr")
                    + ",settings=profile");
        }
        try (ChildProcess collector = ChildProcess.java(CollectorMain.class.getName()).name("bench-collector-" + name)
                .jvmOptions(jvm).args("--config", config.toString(), "--exit-on-stdin-eof").start()) {
            collector.awaitLine(READY, Duration.ofMinutes(2));
            long start = System.nanoTime();
            long cpuStart = cpuTicks(collector.pid());
            long peakAnon = awaitSearchable(LogLayout.indexDir(data), expected, collector);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (cpuTicks(collector.pid()) - cpuStart) / TICKS_PER_SECOND;
            long rss = peakRssKb(collector.pid());
            if (jvm.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))) {
                printNativeMemory(collector.pid());
            }
            collector.terminate();
            return new Run(seconds, cpuSeconds, rss, peakAnon);
        }
    }

    private static CompletableFuture<Void> fill(BrokerProcess broker, String queue, List<OutboundMessage> messages) {
        return CompletableFuture.runAsync(() -> {
            try (Publisher publisher = Publisher.builder(List.of(BrokerAddress.parse(broker.uri())))
                    .status(Status.SILENT).build()) {
                List<OutboundMessage> chunk = new ArrayList<>(PUBLISH_CHUNK);
                for (OutboundMessage m : messages) {
                    chunk.add(OutboundMessage.of(queue, m.headers(), m.body()));
                    if (chunk.size() == PUBLISH_CHUNK) {
                        publisher.publish(chunk);
                        chunk.clear();
                    }
                }
                publisher.publish(chunk);
            } catch (Exception e) {
                throw new IllegalStateException("filling " + broker + " failed", e);
            }
        });
    }

    /**
     * Polls the committed index (as {@code dqlog search} in another process sees it) until it holds
     * {@code expected} documents, and meanwhile the collector's anonymous resident memory ({@code
     * RssAnon}: heap and native, without the page cache of the index files it maps, which {@code
     * VmHWM} counts too).
     *
     * @return the highest {@code RssAnon} seen, in KiB
     */
    private static long awaitSearchable(Path index, int expected, ChildProcess collector) throws Exception {
        long deadline = System.nanoTime() + LONGEST_RUN.toNanos();
        long peakAnon = -1;
        while (System.nanoTime() < deadline) {
            peakAnon = Math.max(peakAnon, statusKb(collector.pid(), "RssAnon:"));
            if (!collector.isAlive()) {
                throw new IllegalStateException(collector.describe("exited"));
            }
            if (Files.isDirectory(index)) {
                try (FSDirectory dir = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(dir)) {
                    if (reader.numDocs() >= expected) {
                        return peakAnon;
                    }
                } catch (IndexNotFoundException e) {
                    // no commit yet
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(collector.describe("not all records searchable within " + LONGEST_RUN));
    }

    /** The committed memory by area (heap, class, code, GC, threads, ...), from {@code jcmd VM.native_memory}. */
    private static void printNativeMemory(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true).start();
        for (String line : new String(jcmd.getInputStream().readAllBytes()).split("\n")) {
            if (line.contains("committed=") && (line.startsWith("Total") || line.startsWith("-"))) {
                System.out.println("  " + line.trim());
            }
        }
        jcmd.waitFor();
    }

    /** The process's peak resident set ({@code VmHWM}), in KiB; -1 if unknown. */
    private static long peakRssKb(long pid) throws IOException {
        return statusKb(pid, "VmHWM:");
    }

    /** A KiB figure of {@code /proc/PID/status}; -1 if absent. */
    private static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
