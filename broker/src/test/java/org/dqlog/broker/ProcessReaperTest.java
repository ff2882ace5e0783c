package org.dqlog.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper runs after a test, so the first test leaves processes behind (one SIGSTOPped) and
 * the second checks they are gone. Run alone, the second test is skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessReaperTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    @TempDir
    static Path temp;

    private static BrokerProcess stoppedBroker;
    private static ChildProcess sleeper;

    @Test
    @Order(1)
    void leavesAStoppedBrokerAndAShellWithAChildBehind() throws IOException {
        stoppedBroker = BrokerProcess.start(temp.resolve("stopped"));
        stoppedBroker.stop();
        sleeper = ChildProcess.command("sh", "-c", "sleep 600 & echo started; wait").start();
        sleeper.awaitLine(java.util.regex.Pattern.compile("started"), Waits.PROCESS);

        assertThat(stoppedBroker.isAlive()).isTrue();
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    @Order(2)
    void reaperKilledEveryProcessOfThePreviousTestIncludingStoppedOnesAndGrandchildren() {
        assumeTrue(stoppedBroker != null && sleeper != null, "runs after leavesAStoppedBrokerAndAShellWithAChildBehind");

        assertThat(stoppedBroker.isAlive()).isFalse();
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(handle -> handle.info().commandLine().orElse(""))
                .filter(command -> command.contains("sleep 600") || command.contains(stoppedBroker.dataDir().toString())))
                .isEmpty();
    }
}
