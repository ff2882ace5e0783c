package org.dqlog.it;

import java.nio.file.Path;

import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's two-broker test at the level of processes: the publisher in its own JVM, the broker it
 * uses SIGKILLed mid-stream and restarted, a fan-in subscriber on both brokers running throughout.
 * (core's PublisherFailoverTest covers the publisher in the test JVM with queues read afterwards.)
 */
@ExtendWith(ProcessReaper.class)
class PublisherFailoverTest {

    @TempDir
    Path temp;

    @Test
    void aFanInSubscriberReceivesEveryConfirmedRecordWhenThePublishersBrokerIsKilledMidStreamAndRestarted()
            throws Exception {
        // given / when / then: 20,000 records at 4,000 a second, the broker in use killed after 5,000
        new PublisherKill(Brokers.startTwo(temp)).run("kill", 20_000, 100, 4_000, 5_000);
    }
}
