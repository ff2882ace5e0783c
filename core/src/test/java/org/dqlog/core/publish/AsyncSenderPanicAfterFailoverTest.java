package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

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

/**
 * A panic logged while the window waits on a broker that froze does not wait behind the log
 * batches the failover sends again: the second broker stores it first. The verdict is the order
 * in which the second broker stored the records (the logging queue carries the panic's copy too).
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderPanicAfterFailoverTest {

    private static final int WINDOW = 4;
    private static final int BATCH = 10;
    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void aPanicWaitingInMemoryGoesToTheNextBrokerAheadOfTheBatchesSentAgain() throws Exception {
        // given: two brokers, the sender on the first, with a full window of log batches in flight when it freezes
        BrokerProcess first = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess second = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();
        // The receipt timeout, not the heart-beats, finds the frozen broker. It is the time the test
        // has to log the panic after the window filled (5 s was missed once on a loaded machine):
        // 30 s, so that only a stall far beyond any seen here could put the panic behind the resend.
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(first.uri() + "," + second.uri(), "panic-failover")
                .randomStart(false).heartbeat(Duration.ofSeconds(120)).receiptTimeout(RECEIPT_TIMEOUT)
                .window(WINDOW).batchMaxRecords(BATCH).build(), new RecordingStatus());
        try {
            AsyncSenderOutageTest.submit(sender, "before", 5);
            await().atMost(Waits.CONDITION).until(() -> sender.stats().sent() == 5);
            first.stop();
            List<String> backlog = AsyncSenderOutageTest.submit(sender, "in-flight", WINDOW * BATCH);
            await().atMost(Waits.CONDITION).until(() -> sender.stats().queued() == 0); // all in the window

            // when: a panic is logged while the window waits for receipts that will not come
            LogRecord panic = TestRecords.record("the-panic", Level.ERROR).toBuilder().panic(true).build();
            assertThat(sender.submit(panic)).isTrue();

            // then: the second broker stores the panic before any of the batches sent again
            try (QueueReader logging = QueueReader.open(second, Destinations.LOGGING);
                    QueueReader panics = QueueReader.open(second, Destinations.PANIC)) {
                await().atMost(Waits.CONDITION).until(() -> logging.ids().containsAll(backlog) && panics.ids().contains(panic.id()));
                List<String> order = logging.records().stream().map(LogRecord::id).collect(Collectors.toList());
                assertThat(order.indexOf(panic.id())).as("the panic's place in " + order).isZero();
            }
        } finally {
            sender.close();
            first.resume();
        }
    }
}
