package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.DelayProxy;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 1: a broker that is reachable but slow to confirm (receipts held back by a real
 * TCP proxy) must not make the sender drop records while its spool has room.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderSlowBrokerTest {

    private static final Duration WAIT = Waits.CONDITION;
    private static final String APP = "slow-broker-test";

    @TempDir
    Path temp;

    @Test
    void dropsNothingWhileTheSpoolHasRoomWhenTheBrokerConfirmsLateAndDeliversEveryRecord() throws Exception {
        // given: a broker behind a proxy that holds its answers back 300 ms, a memory queue of 1,000
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        try (DelayProxy proxy = DelayProxy.to(broker.port()).delayToClient(Duration.ofMillis(300));
             QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            RecordingStatus status = new RecordingStatus();
            AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(proxy.uri(), APP)
                    .spoolDir(temp.resolve("spool")).queueCapacity(1_000)
                    .heartbeat(Duration.ofSeconds(30)) // the pause below must not look like a dead broker
                    .receiptTimeout(WAIT).roundTimeout(WAIT).build(), status);
            List<String> first = AsyncSenderOutageTest.submit(sender, "warm-up", 1);
            await().atMost(WAIT).until(() -> reader.ids().containsAll(first));

            // when: 5,000 records at full speed while the broker is online but answers nothing yet
            // (the proxy is paused, so the outcome does not depend on how fast this thread submits)
            proxy.pause();
            List<String> ids = AsyncSenderOutageTest.submit(sender, "slow", 5_000);

            // then: nothing was dropped, since the spool has room for all of it
            assertThat(sender.stats().dropped()).as("dropped while the spool has room; " + sender.stats()).isZero();

            // and once the broker answers (now without delay, to keep the test short), every record arrives
            proxy.delayToClient(Duration.ZERO);
            proxy.resume();
            await().atMost(WAIT).until(() -> reader.ids().containsAll(ids));
            HashSet<String> expected = new HashSet<>(ids);
            expected.addAll(first);
            assertThat(reader.ids()).isEqualTo(expected);
            sender.close();
            assertThat(sender.stats().dropped()).isZero();
            assertThat(sender.stats().lost()).isZero();
            assertThat(status.warnings()).noneMatch(w -> w.contains("full"));
        }
    }
}
