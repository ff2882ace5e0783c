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
 * Issue 10, "panics first": a panic logged while a large backlog waits in the spool reaches the
 * broker ahead of that backlog, not behind it. The verdict is the panic's place in the order the
 * broker stored the records (the logging queue carries the panic's copy too), so it holds however
 * slow the machine is.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderPanicFirstTest {

    private static final Duration WAIT = Waits.CONDITION;
    private static final int BACKLOG = 5_000;

    @TempDir
    Path temp;

    @Test
    void aPanicLoggedBehindASpooledBacklogReachesTheBrokerAheadOfIt() throws Exception {
        // given: no broker, and a backlog of records in the spool
        int port = TestRecords.freePort();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + port, "panic-first")
                .spoolDir(temp.resolve("spool")).shutdownTimeout(Waits.PROCESS).build(), new RecordingStatus());
        List<String> backlog = AsyncSenderOutageTest.submit(sender, "backlog", BACKLOG);
        await().atMost(WAIT).until(() -> sender.stats().queued() == 0);

        // when: a panic is logged behind it, and then a broker comes up
        LogRecord panic = TestRecords.record("the-panic", Level.ERROR).toBuilder().panic(true).build();
        assertThat(sender.submit(panic)).isTrue();
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();
        try (QueueReader logging = QueueReader.open(broker, Destinations.LOGGING);
                QueueReader panics = QueueReader.open(broker, Destinations.PANIC)) {
            await().atMost(WAIT).until(() -> logging.ids().containsAll(backlog) && panics.ids().contains(panic.id()));

            // then: the panic was stored before nine tenths of the backlog (it goes in the first batches)
            List<String> order = logging.records().stream().map(LogRecord::id).collect(Collectors.toList());
            assertThat(order.indexOf(panic.id())).as("the panic's place among " + order.size() + " stored records")
                    .isBetween(0, BACKLOG / 10);
        } finally {
            sender.close();
        }
    }
}
