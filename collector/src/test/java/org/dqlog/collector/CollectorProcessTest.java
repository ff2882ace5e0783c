package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dqlog.core.LogRecord;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector as a real child process ({@link CollectorMain}), killed and stopped, against two
 * real broker processes: every record exactly once in the files and the index afterwards.
 */
class CollectorProcessTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    @RegisterExtension
    static final TwoBrokers BROKERS = new TwoBrokers();

    static final Duration WAIT = Waits.CONDITION;
    static final Pattern READY = Pattern.compile(
            "^dqlog-collector ready data=(\\S+) http=http://127\\.0\\.0\\.1:(\\d+) brokers=(\\d+)$");
    static final Pattern ARCHIVED = Pattern.compile("(?m)^dqlog_collector_records_archived_total (\\d+)$");
    static final Pattern DUPLICATES = Pattern.compile("(?m)^dqlog_collector_records_duplicate_total (\\d+)$");

    @TempDir
    Path dir;

    /** A running collector child and its metrics address. */
    record Running(ChildProcess process, URI metrics) { }

    private static Running startCollector(Path config) throws IOException {
        ChildProcess child = ChildProcess.java(CollectorMain.class.getName())
                .name("collector")
                .args("--config", config.toString(), "--exit-on-stdin-eof")
                .start();
        MatchResult ready = child.awaitLine(READY, Waits.PROCESS);
        assertThat(ready.group(3)).isEqualTo("2");
        return new Running(child, URI.create("http://127.0.0.1:" + ready.group(2) + "/metrics"));
    }

    @Test
    void killedMidStreamAndRestartedEveryRecordIsOnceInTheFilesAndOnceInTheIndex() throws Exception {
        // given a collector consuming from two brokers
        CollectorYaml yaml = new CollectorYaml(BROKERS.uris(), dir.resolve("data"), "kill");
        Path config = yaml.write();
        Running collector = startCollector(config);

        // when 20,000 records are sent (with receipts) through both brokers, and the collector is SIGKILLed
        // mid-stream: half of them before the kill, half after, so the kill falls inside the stream however slow
        List<LogRecord> forA = TestRecords.logs("k-a", 10_000, "kill-a");
        List<LogRecord> forB = TestRecords.logs("k-b", 10_000, "kill-b");
        CompletableFuture<Void> firstHalf = CompletableFuture.allOf(
                sendInBackground(BROKERS.a(), yaml.logging(), forA.subList(0, 5_000)),
                sendInBackground(BROKERS.b(), yaml.logging(), forB.subList(0, 5_000)));
        await().atMost(WAIT).until(() -> metric(collector.metrics(), ARCHIVED) >= 3_000);
        collector.process().kill();
        assertThat(collector.process().waitFor(Waits.PROCESS)).isTrue();
        firstHalf.get();
        CompletableFuture.allOf(sendInBackground(BROKERS.a(), yaml.logging(), forA.subList(5_000, 10_000)),
                sendInBackground(BROKERS.b(), yaml.logging(), forB.subList(5_000, 10_000))).get();
        Archive archive = new Archive(yaml.data());
        int beforeRestart = archive.fileRecords().size();
        assertThat(beforeRestart).isGreaterThanOrEqualTo(3_000).isLessThan(20_000);

        // and restarted on the same data: then every record is in the files once, and in the index once
        restartAndAwaitEachRecordOnce(config, archive, 20_000);
    }

    @Test
    void killedInTheMiddleOfBatchMessagesAndRestartedEveryRecordIsOnceInTheFilesAndOnceInTheIndex() throws Exception {
        // given a collector consuming from two brokers
        CollectorYaml yaml = new CollectorYaml(BROKERS.uris(), dir.resolve("data"), "killbatch");
        Path config = yaml.write();
        Running collector = startCollector(config);

        // when 20,000 records arrive as LogBatch messages of 500 records through both brokers, and the
        // collector is SIGKILLed once it archived some: half the messages before the kill, half after
        List<byte[]> bodies = new ArrayList<>();
        List<Map<String, String>> headers = new ArrayList<>();
        for (int m = 0; m < 40; m++) {
            List<LogRecord> records = TestRecords.logs("kb-" + m, 500, "killbatch-" + (m % 3));
            bodies.add(Batches.body(records));
            headers.add(Batches.headers(records));
        }
        CompletableFuture<Void> firstHalf = CompletableFuture.allOf(
                sendRawInBackground(BROKERS.a(), yaml.logging(), headers.subList(0, 10), bodies.subList(0, 10)),
                sendRawInBackground(BROKERS.b(), yaml.logging(), headers.subList(10, 20), bodies.subList(10, 20)));
        await().atMost(WAIT).until(() -> metric(collector.metrics(), ARCHIVED) >= 2_000);
        collector.process().kill();
        assertThat(collector.process().waitFor(Waits.PROCESS)).isTrue();
        firstHalf.get();
        CompletableFuture.allOf(sendRawInBackground(BROKERS.a(), yaml.logging(), headers.subList(20, 30), bodies.subList(20, 30)),
                sendRawInBackground(BROKERS.b(), yaml.logging(), headers.subList(30, 40), bodies.subList(30, 40))).get();
        Archive archive = new Archive(yaml.data());
        assertThat(archive.fileRecords().size()).isGreaterThanOrEqualTo(2_000).isLessThan(20_000);

        // and restarted on the same data: then every record is in the files once, and in the index once
        restartAndAwaitEachRecordOnce(config, archive, 20_000);
    }

    @Test
    void sigtermStoresAndAcknowledgesEverythingItReceivedSoNothingComesBack() throws Exception {
        // given a collector busy with a stream of records
        CollectorYaml yaml = new CollectorYaml(BROKERS.uris(), dir.resolve("data"), "term");
        Path config = yaml.write();
        Running collector = startCollector(config);
        CompletableFuture<Void> toA = sendInBackground(BROKERS.a(), yaml.logging(), TestRecords.logs("t-a", 3_000, "term-a"));
        CompletableFuture<Void> toB = sendInBackground(BROKERS.b(), yaml.logging(), TestRecords.logs("t-b", 3_000, "term-b"));
        await().atMost(WAIT).until(() -> metric(collector.metrics(), ARCHIVED) >= 500);

        // when it gets SIGTERM
        collector.process().signal("TERM");

        // then it stops by itself, with what it stored committed to the index
        assertThat(collector.process().waitFor(Waits.PROCESS)).isTrue();
        assertThat(collector.process().lines()).anyMatch(l -> l.contains("collector stopped"));
        CompletableFuture.allOf(toA, toB).get();
        Archive archive = new Archive(yaml.data());
        int stored = archive.fileRecords().size();
        assertThat(archive.idCountsInIndex()).hasSize(stored);

        // when it starts again
        Running again = startCollector(config);

        // then everything arrives once, and nothing it had stored is delivered again (it was all acknowledged)
        awaitExplained(again, () -> archive.fileRecords().size() >= 6_000);
        assertThat(archive.idCountsInFiles()).hasSize(6_000);
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
        // (a batch's lines reach the file before its count reaches the metrics: wait for the count)
        await().atMost(WAIT).until(() -> metric(again.metrics(), ARCHIVED) >= 6_000 - stored);
        assertThat(metric(again.metrics(), DUPLICATES)).isZero();
        assertThat(metric(again.metrics(), ARCHIVED)).isEqualTo(6_000 - stored);
    }

    /** Starts the collector again on {@code config}; then each of {@code count} records is once in the files and once in the committed index. */
    private static void restartAndAwaitEachRecordOnce(Path config, Archive archive, int count) throws Exception {
        Running restarted = startCollector(config);
        awaitExplained(restarted, () -> archive.fileRecords().size() >= count);
        Map<String, Integer> inFiles = archive.idCountsInFiles();
        assertThat(inFiles).hasSize(count);
        assertThat(inFiles.values()).containsOnly(1);
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == count);
        assertThat(archive.idCountsInIndex().values()).containsOnly(1);
        assertThat(archive.idCountsInIndex().keySet()).isEqualTo(inFiles.keySet());
    }

    /** Waits for {@code condition}; on timeout the failure shows the collector's metrics, output and threads. */
    private static void awaitExplained(Running collector, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        try {
            await().atMost(WAIT).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String metrics;
            try {
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(collector.metrics()).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException io) {
                metrics = "no metrics: " + io;
            }
            Process jstack = new ProcessBuilder("jstack", Long.toString(collector.process().pid()))
                    .redirectErrorStream(true).start();
            String threads = new String(jstack.getInputStream().readAllBytes());
            throw new AssertionError(collector.process().describe("did not get there") + "\nmetrics:\n" + metrics
                    + "\nthreads:\n" + threads, e);
        }
    }

    private static CompletableFuture<Void> sendInBackground(BrokerProcess broker, String destination,
            List<LogRecord> records) {
        return CompletableFuture.runAsync(() -> {
            try (Sender sender = new Sender(broker.uri())) {
                sender.send(destination, new ArrayList<>(records));
            } catch (Exception e) {
                throw new IllegalStateException("sending to " + broker + " failed", e);
            }
        });
    }

    private static CompletableFuture<Void> sendRawInBackground(BrokerProcess broker, String destination,
            List<Map<String, String>> headers, List<byte[]> bodies) {
        return CompletableFuture.runAsync(() -> {
            try (Sender sender = new Sender(broker.uri())) {
                sender.sendRaw(destination, headers, bodies);
            } catch (Exception e) {
                throw new IllegalStateException("sending to " + broker + " failed", e);
            }
        });
    }

    private static long metric(URI metrics, Pattern pattern) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.CONDITION).build();
        String text = client.send(HttpRequest.newBuilder(metrics).timeout(Waits.CONDITION).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in " + text);
        }
        return Long.parseLong(m.group(1));
    }
}
