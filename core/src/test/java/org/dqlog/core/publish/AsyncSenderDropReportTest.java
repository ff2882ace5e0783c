package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.dqlog.core.Destinations;
import org.dqlog.core.LogRecord;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 7: the count of dropped records is kept with the spool, so the WARN record
 * about the gap reaches the central log even when the application exits while offline.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderDropReportTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void theDropReportOfAnApplicationThatExitedOfflineReachesTheCentralLogThroughTheNextSenderOfItsSpool() throws Exception {
        // given: no broker, a small spool and memory queue, more records than both hold
        int port = TestRecords.freePort();
        String uri = "tcp://127.0.0.1:" + port;
        Path spoolDir = temp.resolve("spool");
        AsyncSender first = AsyncSender.start(AsyncSenderOutageTest.config(uri, "drop-report-test").spoolDir(spoolDir)
                .spoolMaxBytes(128 * 1024).queueCapacity(100).build(), new RecordingStatus());
        AsyncSenderOutageTest.submit(first, "overflow", 200);
        await().atMost(WAIT).until(() -> first.stats().queued() == 0);
        for (int round = 0; first.stats().dropped() == 0 && round < 100; round++) {
            AsyncSenderOutageTest.submit(first, "overflow-" + round, 500);
            await().atMost(WAIT).until(() -> first.stats().queued() == 0 || first.stats().dropped() > 0);
        }
        assertThat(first.stats().dropped()).as("records dropped by the first sender; " + first.stats()).isPositive();

        // when: the application exits while still offline (its spill thread may still drop a few while it
        // closes, so the count that must be reported is the one it left in the spool); later a broker is up
        // and another sender opens the spool
        first.close();
        long dropped;
        try (DiskSpool left = DiskSpool.open(spoolDir, 128 * 1024, new DropCounter(), new RecordingStatus())) {
            dropped = left.drops().snapshot().total();
        }
        assertThat(dropped).as("drops kept in the spool").isPositive();
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            AsyncSender second = AsyncSender.start(AsyncSenderOutageTest.config(uri, "drop-report-test")
                    .spoolDir(spoolDir).build(), new RecordingStatus());

            // then: the central log gets WARN record(s) of the drop logger that account for every record dropped
            await().atMost(WAIT).untilAsserted(() -> assertThat(reportedDrops(reader)).as("dropped records reported; "
                    + second.stats()).isEqualTo(dropped));
            second.close();
        }
    }

    /** The sum of the {@code dropped} counts of the distinct drop reports received. */
    static long reportedDrops(QueueReader reader) {
        Map<String, LogRecord> reports = reader.records().stream()
                .filter(r -> SenderConfig.DROPPED_RECORDS_LOGGER.equals(r.logger()))
                .collect(Collectors.toMap(LogRecord::id, r -> r, (a, b) -> a));
        return reports.values().stream().mapToLong(r -> Long.parseLong(r.mdc().getOrDefault("dropped", "0"))).sum();
    }
}
