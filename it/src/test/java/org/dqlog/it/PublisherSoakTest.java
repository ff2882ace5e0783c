package org.dqlog.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link PublisherFailoverTest} repeated with kills at random points and random batch sizes; {@code mvn verify -Psoak}. */
@Tag("soak")
@ExtendWith(ProcessReaper.class)
class PublisherSoakTest {

    private static final int ROUNDS = 10;
    private static final int RECORDS = 20_000;

    @TempDir
    Path temp;

    @Test
    void losesNoConfirmedRecordWhateverMomentThePublishersBrokerIsKilled() throws Exception {
        List<BrokerProcess> brokers = Brokers.startTwo(temp);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            // the seed in the round's name (and queue) makes a failure repeatable
            int killAt = 100 + random.nextInt(RECORDS - 4_000);
            int batchSize = 1 + random.nextInt(200);
            new PublisherKill(brokers).run("soak" + round + "-seed" + seed + "-kill" + killAt + "-batch" + batchSize,
                    RECORDS, batchSize, 4_000, killAt);
        }
    }
}
