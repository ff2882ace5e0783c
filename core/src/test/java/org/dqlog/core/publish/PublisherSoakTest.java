package org.dqlog.core.publish;

import java.nio.file.Path;
import java.util.Random;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link PublisherFailoverTest} ten times, with the kill at a random point each time; {@code mvn verify -Psoak}. */
@Tag("soak")
@ExtendWith(ProcessReaper.class)
class PublisherSoakTest {

    private static final int ROUNDS = 10;
    private static final int RECORDS = 20_000;

    @TempDir
    Path temp;

    @Test
    void losesNoConfirmedRecordWhateverMomentTheBrokerInUseIsKilled() throws Exception {
        // given
        BrokerProcess first = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess second = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();
        long seed = System.nanoTime();
        Random random = new Random(seed);

        for (int round = 0; round < ROUNDS; round++) {
            // when: a kill somewhere between the first and the last batch; batch sizes vary too
            int killAt = 100 + random.nextInt(RECORDS - 3_000);
            int batchSize = 1 + random.nextInt(200);
            // then (inside): exactly the confirmed records arrive, the killed broker keeps its own
            // (a queue per round: a late duplicate of one round must not count in the next)
            new KillDuringPublish(first, second).run("soak" + round + "-seed" + seed + "-kill" + killAt,
                    "/queue/dqlog.test.soak" + round, RECORDS, batchSize, killAt);
        }
    }
}
