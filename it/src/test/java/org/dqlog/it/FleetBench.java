package org.dqlog.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.dqlog.archive.LogLayout;
import org.dqlog.archive.StoredRecords;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.collector.CollectorMain;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.it.apps.Workload;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's fleet benchmark, not a test (surefire's default includes skip {@code *Bench}; run it
 * with {@code -Dtest=FleetBench}): four application JVMs, two Log4j 2 with {@code <Stomp>} and two
 * Logback with {@code StompAppender}, both brokers named in each, log {@code dqlog.fleet.count}
 * records each at {@code dqlog.fleet.rate} records/s per application (0: as fast as they can)
 * into two real brokers and the collector (a child JVM at {@code -Xmx256m}). It prints, by record
 * id, how many of the records are archived (files and index) when the last application has
 * exited, the drop reports the appenders sent, what is left in their spools, the time from the
 * first record to all searchable, and Lucene's own indexing of the same records in the same run.
 *
 * <pre>nice -n 10 mvn -B -ntp -o verify -pl it -am -Dtest=FleetBench -Dsurefire.failIfNoSpecifiedTests=false
 *     -Ddqlog.fleet.rate=2500 -Ddqlog.fleet.count=25000</pre>
 */
class FleetBench {

    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);
    private static final Duration STALL = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void fleetIntoTwoBrokersAndTheCollector() throws Exception {
        int count = Integer.getInteger("dqlog.fleet.count", 25_000);
        int rate = Integer.getInteger("dqlog.fleet.rate", 2_500);
        List<BrokerProcess> brokers = startBrokers(temp);
        Queues queues = Queues.named("fleet");
        Path data = temp.resolve("data");
        ChildProcess collector = startCollector(writeCollectorYaml(brokers, queues, data));
        print("FleetBench: 4 applications x %,d records at %s; load %s", count,
                rate == 0 ? "full speed" : String.format("%,d/s each", rate), load());

        List<App> apps = new ArrayList<>();
        long started = System.nanoTime();
        for (Framework framework : List.of(Framework.LOG4J2, Framework.LOGBACK, Framework.LOG4J2, Framework.LOGBACK)) {
            String run = framework.name().toLowerCase() + apps.size();
            apps.add(App.builder(framework, temp.resolve(run)).brokers(Brokers.uris(brokers)).queues(queues)
                    .run(run).count(count).perSecond(rate)
                    .jvmOption("-XX:TieredStopAtLevel=4")
                    .start());
        }
        Thread sampler = sampler(apps, data, started);
        for (App app : apps) {
            app.process().awaitLine(java.util.regex.Pattern.compile("^" + Workload.SENT_PREFIX + count + "$"),
                    LONGEST_WAIT);
            print("  %s: every logging call returned after %.1f s", app.run(), seconds(started));
        }
        double logged = seconds(started);
        // all stopped at once, so that no application's shutdownTimeout is longer for being stopped last
        List<java.util.concurrent.CompletableFuture<Void>> stops = new ArrayList<>();
        for (App app : apps) {
            stops.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    app.stop(Duration.ofMinutes(2));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        java.util.concurrent.CompletableFuture.allOf(stops.toArray(new java.util.concurrent.CompletableFuture<?>[0])).join();
        double exited = seconds(started);
        Instant exitedAt = Instant.now();
        int total = 4 * count;

        // what the archive holds by the time the last application has exited
        Set<String> inIndexAtExit = StoredRecords.idCountsInIndex(data).keySet();
        Map<String, LogRecord> filesAtExit = StoredRecords.recordsInFiles(data);
        print("all logging calls returned after %.1f s; all applications exited after %.1f s", logged, exited);
        print("at exit: %,d of %,d in the files, %,d in the index", countWorkload(filesAtExit.values()), total,
                inIndexAtExit.size());

        // then until all are searchable, or the index has not grown for STALL (the rest is in the spools)
        long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
        int seen = -1;
        long grewAt = System.nanoTime();
        Instant searchableAt = Instant.now();
        while (System.nanoTime() < deadline && collector.isAlive() && System.nanoTime() - grewAt < STALL.toNanos()) {
            int now = indexCount(data);
            if (now != seen) {
                seen = now;
                grewAt = System.nanoTime();
                searchableAt = Instant.now();
            }
            if (now >= total) {
                break;
            }
            Thread.sleep(100);
        }
        sampler.interrupt();
        Map<String, LogRecord> files = StoredRecords.recordsInFiles(data);
        Map<String, Integer> inIndex = StoredRecords.idCountsInIndex(data);
        List<LogRecord> workload = files.values().stream().filter(r -> r.mdc().containsKey(Workload.MDC_RUN)).toList();
        Instant first = workload.stream().map(LogRecord::ts).min(Instant::compareTo).orElse(exitedAt);
        double span = Duration.between(first, searchableAt).toNanos() / 1e9;
        print("finally: %,d of %,d in the files (by id), %,d in the index, %d ids in the index more than once",
                workload.size(), total, workload.stream().filter(r -> inIndex.containsKey(r.id())).count(),
                inIndex.values().stream().filter(n -> n > 1).count());
        for (App app : apps) {
            Set<Integer> seqs = workload.stream().filter(r -> app.run().equals(r.mdc().get(Workload.MDC_RUN)))
                    .map(r -> Integer.parseInt(r.mdc().get(Workload.MDC_SEQ))).collect(Collectors.toSet());
            print("  %-10s %,d of %,d archived; spool left: %s; status lines about drops: %s", app.run(), seqs.size(),
                    count, spoolLeft(temp.resolve(app.run()).resolve("spool")), dropLines(app));
        }
        files.values().stream().filter(r -> SenderConfig.DROPPED_RECORDS_LOGGER.equals(r.logger()))
                .forEach(r -> print("  drop report from %s: %s", r.app(), r.message()));
        print("first record to all searchable: %.1f s, %,.0f records/s end to end", span, workload.size() / span);

        double lucene = rawLucene(workload, temp.resolve("lucene"));
        print("raw Lucene IndexWriter.updateDocument + commit of the same %,d records: %.1f s, %,.0f records/s;"
                + " pipeline %.2fx raw Lucene; load %s", workload.size(), lucene, workload.size() / lucene,
                lucene / span, load());
        collector.terminate();
        brokers.forEach(BrokerProcess::close);
    }

    /** Every 5 s: documents in the committed index and each application's spool bytes, to see where records wait. */
    private static Thread sampler(List<App> apps, Path data, long started) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    StringBuilder spools = new StringBuilder();
                    for (App app : apps) {
                        spools.append(' ').append(app.run()).append('=').append(spoolBytes(app)).append('B');
                    }
                    print("  [%5.1f s] index %,d; spools%s; load %s", seconds(started), indexCount(data), spools, load());
                    Thread.sleep(5_000);
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "fleet-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long spoolBytes(App app) {
        Path spool = app.logFile().getParent().resolve("spool");
        try (Stream<Path> walk = Files.walk(spool)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static List<BrokerProcess> startBrokers(Path dir) {
        // full JIT and more heap for the brokers, as in production (the testkit default suits short tests)
        List<BrokerProcess> out = new ArrayList<>();
        for (String name : List.of("broker-a", "broker-b")) {
            try {
                out.add(Brokers.builder(dir.resolve(name), name)
                        .jvmOptions(List.of("-Xmx512m")).start());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Path writeCollectorYaml(List<BrokerProcess> brokers, Queues queues, Path data) throws IOException {
        String yaml = "brokers:\n"
                + brokers.stream().map(b -> "  - " + b.uri() + "\n").collect(Collectors.joining())
                + "data: " + data.toAbsolutePath() + "\n"
                + "destinations:\n  logging: " + queues.logging() + "\n  panic: " + queues.panic() + "\n"
                + "minFreeBytes: 0\n"
                + "http:\n  port: 0\n";
        Path file = data.toAbsolutePath().getParent().resolve("collector.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The collector in its own JVM at -Xmx256m (full JIT), without the applications' frameworks on its class path. */
    private static ChildProcess startCollector(Path config) throws IOException {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback") && !entry.contains("log4j") && !entry.contains("activemq"))
                .collect(Collectors.joining(File.pathSeparator));
        ChildProcess collector = ChildProcess.java(CollectorMain.class.getName()).name("collector")
                .classpath(classpath).jvmOptions(List.of("-Xmx256m"))
                .removeEnv("DQLOG_BROKERS").removeEnv("DQLOG_DATA").removeEnv("DQLOG_LOGIN")
                .removeEnv("DQLOG_PASSCODE").removeEnv("DQLOG_PASSCODE_FILE")
                .args("--config", config.toString(), "--exit-on-stdin-eof")
                .start();
        collector.awaitLine(PipelineTest.COLLECTOR_READY, Waits.PROCESS);
        return collector;
    }

    private static long countWorkload(Collection<LogRecord> records) {
        return records.stream().filter(r -> r.mdc().containsKey(Workload.MDC_RUN)).count();
    }

    private static int indexCount(Path data) {
        try (FSDirectory dir = FSDirectory.open(LogLayout.indexDir(data)); DirectoryReader reader = DirectoryReader.open(dir)) {
            return reader.numDocs();
        } catch (IndexNotFoundException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Files and bytes under a spool directory after the application exited (segments, cursor, drop file). */
    private static String spoolLeft(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return "no spool directory";
        }
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(spool)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                sizes.put(spool.relativize(p).toString(), Files.size(p));
            }
        }
        return sizes.toString();
    }

    private static List<String> dropLines(App app) {
        return app.process().lines().stream().filter(l -> l.toLowerCase().contains("drop")).limit(5).toList();
    }

    /** Lucene alone indexing the records' documents (the collector's schema) and committing, in seconds. */
    private static double rawLucene(List<LogRecord> records, Path dir) throws IOException {
        long start = System.nanoTime();
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(32); // as the collector's
        try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
            for (LogRecord r : records) {
                writer.updateDocument(new Term(IndexSchema.ID, r.id()), IndexSchema.document(r, LogLine.format(r)));
            }
            writer.commit();
        }
        return seconds(start);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
