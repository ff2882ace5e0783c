package org.dqlog.core.publish;

import java.nio.file.Path;

import org.dqlog.core.Destinations;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against two real brokers, one of them SIGKILLed mid-stream and restarted on its data. */
@ExtendWith(ProcessReaper.class)
class PublisherFailoverTest {

    @TempDir
    Path temp;

    @Test
    void failsOverWhenTheBrokerInUseIsKilledAndEveryConfirmedRecordArrivesOnce() throws Exception {
        // given
        BrokerProcess first = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess second = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();

        // when / then: 20,000 records, the broker in use killed after 5,000 were confirmed
        new KillDuringPublish(first, second).run("kill", Destinations.LOGGING, 20_000, 100, 5_000);
    }
}
