package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Destinations;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 4 at the sender's level: a short run delivers what an earlier run spooled,
 * during its run and its shutdown window, without another run.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderShortRunTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void aShortRunSendsTheBacklogAnEarlierRunSpooledBeforeItsCloseReturns() throws Exception {
        // given: an earlier run spooled 1,000 records while no broker was up
        int port = TestRecords.freePort();
        Path spool = temp.resolve("spool");
        RecordingStatus status = new RecordingStatus();
        AsyncSender offline = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + port, "short-run")
                .spoolDir(spool).build(), status);
        List<String> ids = new ArrayList<>(AsyncSenderOutageTest.submit(offline, "offline", 1_000));
        offline.close();

        // when: a broker is up and a short run logs one record and closes at once
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            AsyncSender online = AsyncSender.start(AsyncSenderOutageTest.config(broker.uri(), "short-run")
                    .spoolDir(spool).shutdownTimeout(Waits.PROCESS).build(), status); // a window no busy machine misses
            ids.addAll(AsyncSenderOutageTest.submit(online, "online", 1));
            online.close();

            // then: everything arrives, although no sender runs any more
            await().atMost(WAIT).untilAsserted(() -> assertThat(reader.ids()).as(online.stats() + "; status "
                    + status.messages()).containsAll(ids));
        }
    }

    @Test
    void aRunThatExitsWithRecordsInItsSpoolSaysWhereTheyWaitAndHowToSendThem() throws Exception {
        // given: a run that logs while no broker is up
        int port = TestRecords.freePort();
        Path spool = temp.resolve("spool");
        RecordingStatus status = new RecordingStatus();
        AsyncSender offline = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + port, "exits-offline")
                .spoolDir(spool).build(), status);
        AsyncSenderOutageTest.submit(offline, "offline", 100);

        // when it exits
        offline.close();

        // then one status line names the spool and the command that sends it now
        assertThat(status.messages()).as(offline.stats().toString()).anyMatch(m -> m.contains("wait in the spool at " + spool)
                && m.contains("dqlog spool drain " + spool));
    }
}
