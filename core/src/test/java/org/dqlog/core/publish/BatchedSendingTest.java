package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.testing.BatchLines;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: records waiting together travel as {@code MsgType:LogBatch} messages (read here by a
 * raw STOMP consumer), with a window of several batches in flight; batching can be turned off.
 */
@ExtendWith(ProcessReaper.class)
class BatchedSendingTest {

    private static final Duration WAIT = Waits.CONDITION;
    private static final Level[] LEVELS = {Level.DEBUG, Level.INFO, Level.INFO, Level.WARN, Level.INFO, Level.ERROR};

    @TempDir
    Path temp;

    @Test
    void recordsWaitingTogetherArriveAsLogBatchesWithTheirHeadersAndEveryIdOnce() throws Exception {
        // given: a frozen broker, so that every record below waits before the first connection
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).start();
        broker.stop();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(broker.uri(), "batch-test")
                .spoolDir(temp.resolve("spool")).build(), new RecordingStatus());

        // when: 1,000 records of mixed levels (two of them panics) wait, then the broker thaws
        List<String> ids = submitMixed(sender, "batched", 1000);
        broker.resume();

        // then: they arrive in LogBatch messages, each record exactly once on the logging queue
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            await().atMost(WAIT).until(() -> reader.ids().containsAll(ids));
            sender.close();
            List<Frame> batches = new ArrayList<>();
            Map<String, Integer> copies = new HashMap<>();
            for (Frame f : reader.frames()) {
                if (BatchLines.isBatch(f.headers())) {
                    batches.add(f);
                }
                for (LogRecord r : BatchLines.records(f.headers(), f.body())) {
                    copies.merge(r.id(), 1, Integer::sum);
                }
            }
            assertThat(batches).as("LogBatch messages").isNotEmpty();
            assertThat(copies.keySet()).containsAll(ids);
            assertThat(copies.values()).as("copies per id (no failover: exactly once)").containsOnly(1);
            for (Frame batch : batches) {
                List<LogRecord> inside = BatchLines.records(batch.headers(), batch.body());
                assertThat(inside).hasSizeGreaterThan(1);
                assertThat(batch.body().length).isLessThanOrEqualTo(MessageFactory.BATCH_MAX_BYTES);
                assertThat(batch.header(MessageHeaders.HOST)).isEqualTo("testhost");
                assertThat(batch.header(MessageHeaders.APP)).isEqualTo("batch-test");
                assertThat(batch.header(MessageHeaders.MSG_CLASS)).isEqualTo("DQ");
                assertThat(batch.header(MessageHeaders.LEVEL)).isEqualTo(highest(inside).name());
            }
        }
        // and each panic travels alone, once, to the panic queue
        try (QueueReader panics = QueueReader.open(broker, Destinations.PANIC)) {
            await().atMost(WAIT).until(() -> panics.ids().size() == 2);
            assertThat(panics.frames()).allSatisfy(f -> assertThat(BatchLines.isBatch(f.headers())).isFalse());
        }
    }

    @Test
    void withBatchingOffEveryRecordIsAMessageOfItsOwn() throws Exception {
        // given: a sender with batching off, records waiting for a frozen broker
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).start();
        broker.stop();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(broker.uri(), "single-test")
                .spoolDir(temp.resolve("spool")).batching(false).build(), new RecordingStatus());

        // when
        List<String> ids = submitMixed(sender, "single", 300);
        broker.resume();

        // then: one Log message per record
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            await().atMost(WAIT).until(() -> reader.ids().containsAll(ids));
            sender.close();
            assertThat(reader.frames()).hasSize(ids.size()).allSatisfy(f -> {
                assertThat(f.header(MessageHeaders.MSG_TYPE)).isEqualTo(LogRecord.TYPE_LOG);
                assertThat(BatchLines.records(f.headers(), f.body())).hasSize(1);
            });
        }
    }

    @Test
    void aBrokerKilledWithAWindowInFlightLosesNothing() throws Exception {
        // given: two brokers, the sender on the first with a window of 8 small batches
        BrokerProcess first = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess second = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(first.uri() + "," + second.uri(), "window-test")
                .spoolDir(temp.resolve("spool")).randomStart(false).window(8).batchMaxRecords(20).build(),
                new RecordingStatus());
        List<String> ids = new ArrayList<>();
        Thread producer = new Thread(() -> ids.addAll(AsyncSenderOutageTest.submit(sender, "steady", 4000)));
        producer.start();

        // when: the first broker is killed (SIGKILL) while records stream and batches are in flight
        await().atMost(WAIT).until(() -> sender.stats().sent() >= 200);
        first.kill();
        producer.join();

        // then: every record is on one broker or the other (the first one's store keeps what it confirmed)
        await().atMost(WAIT).until(() -> sender.stats().sent() >= ids.size());
        sender.close();
        first.restart();
        try (QueueReader a = QueueReader.open(first, Destinations.LOGGING);
             QueueReader b = QueueReader.open(second, Destinations.LOGGING)) {
            Set<String> expected = new HashSet<>(ids);
            await().atMost(WAIT).until(() -> AsyncSenderFailoverTest.union(a, b).containsAll(expected));
            assertThat(sender.stats().failovers()).isGreaterThanOrEqualTo(1);
        }
    }

    /** {@code count} records, levels cycling through {@link #LEVELS}; two of them panics. */
    static List<String> submitMixed(AsyncSender sender, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LogRecord r = TestRecords.record(prefix + "-" + i, LEVELS[i % LEVELS.length]);
            if (i == count / 3 || i == 2 * count / 3) {
                r = r.toBuilder().level(Level.ERROR).panic(true).build();
            }
            assertThat(sender.submit(r)).as("submit " + i).isTrue();
            ids.add(r.id());
        }
        return ids;
    }

    private static Level highest(List<LogRecord> records) {
        Level max = Level.TRACE;
        for (LogRecord r : records) {
            if (r.level().ordinal() > max.ordinal()) {
                max = r.level();
            }
        }
        return max;
    }
}
