package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous sender with a broker that freezes, and with a queue too small for an outage. */
@ExtendWith(ProcessReaper.class)
class AsyncSenderFailoverTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void aSilentBrokerIsDetectedByHeartbeatsAndTheSenderFailsOverWithoutLosingARecord() throws Exception {
        // given: two brokers, the sender on the first, heart-beats every second
        BrokerProcess first = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess second = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();
        RecordingStatus status = new RecordingStatus();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(first.uri() + "," + second.uri(), "silent-test")
                .spoolDir(temp.resolve("spool")).randomStart(false).build(), status);
        List<String> ids = new ArrayList<>(AsyncSenderOutageTest.submit(sender, "before", 200));
        await().atMost(WAIT).until(() -> sender.stats().sent() == 200);
        assertThat(sender.stats().connectedBroker()).isEqualTo(first.uri());

        // when: the broker in use freezes (SIGSTOP) with the connection open, and records keep coming
        first.stop();
        ids.addAll(AsyncSenderOutageTest.submit(sender, "during", 200));

        // then: heart-beats (or the receipt timeout) give it away, and the second broker gets the rest
        await().atMost(WAIT).until(() -> sender.stats().sent() == 400);
        assertThat(sender.stats().connectedBroker()).isEqualTo(second.uri());
        assertThat(sender.stats().failovers()).isGreaterThanOrEqualTo(1);
        assertThat(status.warnings()).anyMatch(w -> w.contains("broker " + first.uri() + " failed"));
        sender.close();

        first.resume();
        try (QueueReader a = QueueReader.open(first, Destinations.LOGGING);
             QueueReader b = QueueReader.open(second, Destinations.LOGGING)) {
            Set<String> expected = new HashSet<>(ids);
            await().atMost(WAIT).until(() -> union(a, b).containsAll(expected));
            assertThat(union(a, b)).isEqualTo(expected);
        }
    }

    @Test
    void afterAnOutageWithATinyQueueAWarnRecordTellsTheCentralLogHowManyRecordsWereDropped() throws Exception {
        // given: no broker, no spool, room for 10 records in memory
        int port = TestRecords.freePort();
        String uri = "tcp://127.0.0.1:" + port;
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(uri, "drop-test").spoolEnabled(false)
                .queueCapacity(10).batchMaxRecords(5).build(), new RecordingStatus());

        // when: 100 records during the outage, then a broker starts
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            LogRecord r = TestRecords.record("dropped-" + i, Level.INFO);
            sender.submit(r); // true or false: the queue keeps the newest records
            submitted.add(r.id());
        }
        await().atMost(WAIT).until(() -> sender.stats().dropped() >= 85);
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();

        // then: the records that were kept arrive, with one WARN record counting the others
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            await().atMost(WAIT).untilAsserted(() -> {
                LogRecord report = dropReport(reader);
                Set<String> arrived = reader.ids();
                arrived.remove(report.id());
                assertThat(submitted).containsAll(arrived);
                assertThat(Long.parseLong(report.mdc().get("dropped.INFO")) + arrived.size())
                        .as("dropped + arrived").isEqualTo(100);
            });
            LogRecord report = dropReport(reader);
            assertThat(report.level()).isEqualTo(Level.WARN);
            assertThat(report.app()).isEqualTo("drop-test");
            assertThat(report.host()).isEqualTo("testhost");
            assertThat(report.message()).contains("dropped " + report.mdc().get("dropped") + " records (INFO ");
            assertThat(report.mdc()).containsKeys("dropped.first", "dropped.last");
        }
        sender.close();
    }

    private static LogRecord dropReport(QueueReader reader) {
        Map<String, LogRecord> reports = new LinkedHashMap<>(); // by id: a copy may arrive twice (at-least-once)
        for (LogRecord r : reader.records()) {
            if (SenderConfig.DROPPED_RECORDS_LOGGER.equals(r.logger())) {
                reports.put(r.id(), r);
            }
        }
        assertThat(reports).as("dropped-records reports").hasSize(1);
        return reports.values().iterator().next();
    }

    static Set<String> union(QueueReader a, QueueReader b) {
        Set<String> all = new HashSet<>(a.ids());
        all.addAll(b.ids());
        return all;
    }
}
