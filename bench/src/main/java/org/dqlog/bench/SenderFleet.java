package org.dqlog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.AsyncSender;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.testkit.BrokerProcess;

/**
 * Records per second confirmed by receipts from two applications (two {@link AsyncSender}s, each
 * fed by a thread of its own) to two real brokers, one broker each: one message per record
 * ({@code batching=false}) against {@code LogBatch} messages with windows of 1, 2, 4, 8, 16 batches
 * in flight, in the same run. Each variant writes to a queue of its own, deleted afterwards
 * (untimed); the clock runs from the first submit to the last receipt.
 *
 * <pre>java -cp CP org.dqlog.bench.BrokerThroughput --fleet 50000 [--body-bytes 300] [--rounds 2] [--windows 1,2,4,8,16] [--batch-records 100]</pre>
 */
final class SenderFleet {

    private static final Pattern OPENWIRE_LINE = Pattern.compile("^dqlog-broker openwire=(\\S+)$");

    /** Records per batch taken from the buffer ({@link SenderConfig#batchMaxRecords()}). */
    private static int batchRecords = SenderConfig.DEFAULT_BATCH_MAX_RECORDS;

    private SenderFleet() {
    }

    static void run(int recordsPerApp, int bodyBytes, int rounds, String windows, int batchRecords) throws Exception {
        SenderFleet.batchRecords = batchRecords;
        Path data = Files.createTempDirectory("dqlog-bench-fleet");
        try (BrokerProcess a = broker(data.resolve("a"), "bench-a"); BrokerProcess b = broker(data.resolve("b"), "bench-b")) {
            String openwireA = a.process().awaitLine(OPENWIRE_LINE, Duration.ofSeconds(10)).group(1);
            String openwireB = b.process().awaitLine(OPENWIRE_LINE, Duration.ofSeconds(10)).group(1);
            System.out.printf("SenderFleet: 2 applications x %,d records of ~%d bytes, up to %d records a batch, 2 brokers,"
                    + " %d rounds; %s%n", recordsPerApp, bodyBytes, batchRecords, rounds, Machine.describe());
            List<int[]> variants = new ArrayList<>();
            variants.add(new int[] {0, SenderConfig.DEFAULT_WINDOW});
            for (String w : windows.split(",")) {
                variants.add(new int[] {1, Integer.parseInt(w.trim())});
            }
            measure(a, b, false, SenderConfig.DEFAULT_WINDOW, Math.min(recordsPerApp, 5_000), "warmup", bodyBytes);
            for (int round = 1; round <= rounds; round++) {
                for (int[] v : variants) {
                    boolean batching = v[0] == 1;
                    String name = (batching ? "batched" : "single") + "-w" + v[1];
                    String queue = "bench.fleet." + name + "." + round;
                    double perSecond = measure(a, b, batching, v[1], recordsPerApp, queue, bodyBytes);
                    System.out.printf("round %d  %-45s %,9.0f records/s  load %s%n", round,
                            (batching ? "LogBatch, window " : "one message per record, window ") + v[1], perSecond,
                            Machine.loadAverage());
                    BrokerThroughput.destroyQueue(openwireA, queue);
                    BrokerThroughput.destroyQueue(openwireB, queue);
                }
            }
        } finally {
            TempDirs.deleteQuietly(data);
        }
    }

    private static BrokerProcess broker(Path dir, String name) throws Exception {
        return BrokerProcess.builder(dir).name(name).jvmOptions(List.of("-Xmx512m")).args("--openwire-port", "0").start();
    }

    /** Records per second, both applications together, until every record of both was confirmed. */
    private static double measure(BrokerProcess a, BrokerProcess b, boolean batching, int window, int records,
                                  String queue, int bodyBytes) throws Exception {
        List<AsyncSender> senders = List.of(sender("fleet-a", a.uri() + "," + b.uri(), batching, window, queue, records),
                sender("fleet-b", b.uri() + "," + a.uri(), batching, window, queue, records));
        try {
            List<List<LogRecord>> samples = new ArrayList<>();
            for (AsyncSender s : senders) {
                List<LogRecord> sample = new ArrayList<>(records);
                for (int i = 0; i < records; i++) {
                    sample.add(SampleRecords.ofSize(bodyBytes, String.format("%s-%s-%09d", queue, s.config().app(), i)));
                }
                samples.add(sample);
                awaitConnected(s);
            }
            long start = System.nanoTime();
            List<Thread> apps = new ArrayList<>();
            for (int i = 0; i < senders.size(); i++) {
                AsyncSender s = senders.get(i);
                List<LogRecord> sample = samples.get(i);
                Thread t = new Thread(() -> sample.forEach(s::submit), "app-" + s.config().app());
                t.start();
                apps.add(t);
            }
            for (Thread t : apps) {
                t.join();
            }
            for (AsyncSender s : senders) {
                while (s.stats().sent() < records) {
                    if (s.stats().dropped() > 0 || s.stats().rejected() > 0) {
                        throw new IllegalStateException("records dropped; raise the queue capacity: " + s.stats());
                    }
                    Thread.sleep(1);
                }
            }
            return 2.0 * records / ((System.nanoTime() - start) / 1e9);
        } finally {
            for (AsyncSender s : senders) {
                s.close();
            }
        }
    }

    private static AsyncSender sender(String app, String brokers, boolean batching, int window, String queue, int records) {
        SenderConfig config = SenderConfig.builder().settings(ClientSettings.of(Map.of(), Map.of()))
                .brokers(brokers).app(app).host("benchhost").loggingDestination("/queue/" + queue)
                .randomStart(false).rebalanceInterval(Duration.ofHours(1))
                .spoolEnabled(false).queueCapacity(records + 1_000).queueMaxBytes(1L << 30)
                .batching(batching).window(window).batchMaxRecords(batchRecords).shutdownTimeout(Duration.ofSeconds(30))
                .build();
        return AsyncSender.start(config, Status.SILENT);
    }

    private static void awaitConnected(AsyncSender s) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (s.stats().connectedBroker() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not connected: " + s.stats());
            }
            Thread.sleep(10);
        }
    }
}
