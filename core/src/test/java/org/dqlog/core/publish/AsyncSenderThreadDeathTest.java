package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 8: when the sender thread dies of an {@link Error}, a record that {@code submit}
 * still accepts must be delivered (or submit must refuse it, counted): never accepted into a queue
 * nobody drains.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderThreadDeathTest {

    private static final Duration WAIT = Waits.CONDITION;
    private static final String APP = "thread-death-test";

    @TempDir
    Path temp;

    @Test
    void aRecordAcceptedAfterTheSenderThreadDiedOfAnErrorIsStillDeliveredOrRefused() throws Exception {
        // given: no broker; the status channel throws an Error the first time the sender warns
        // (the way an OutOfMemoryError or a broken status listener reaches the sender thread)
        int port = TestRecords.freePort();
        RecordingStatus recorded = new RecordingStatus();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + port, APP)
                .spoolEnabled(false).build(), new ErrorOnFirstWarning(recorded));
        await().atMost(WAIT).until(() -> !senderThreadAlive());

        // when: a broker comes up and the application logs
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            List<String> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                LogRecord r = TestRecords.record("after-death-" + i, Level.INFO);
                if (sender.submit(r)) {
                    accepted.add(r.id());
                } else {
                    refused++;
                }
            }

            // then: what submit accepted arrives; what it refused is counted
            await().atMost(WAIT).untilAsserted(() -> assertThat(reader.ids()).as("accepted records delivered; "
                    + sender.stats() + "; status " + recorded.messages()).containsAll(accepted));
            assertThat(sender.stats().rejected() + sender.stats().dropped()).isGreaterThanOrEqualTo(refused);
        }
        sender.close();
    }

    private static boolean senderThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dqlog-sender-" + APP));
    }

    /** Records every report; the first warning throws an Error on the reporting thread. */
    private static final class ErrorOnFirstWarning implements Status {
        private final RecordingStatus delegate;
        private final AtomicBoolean thrown = new AtomicBoolean();

        ErrorOnFirstWarning(RecordingStatus delegate) {
            this.delegate = delegate;
        }

        @Override
        public void info(String message) {
            delegate.info(message);
        }

        @Override
        public void warn(String message, Throwable cause) {
            delegate.warn(message, cause);
            if (thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("thrown by the test's status channel");
            }
        }

        @Override
        public void error(String message, Throwable cause) {
            delegate.error(message, cause);
        }
    }
}
