package org.dqlog.collector;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the daemon's tests in this JVM: two real broker processes shared by the tests
 * of a class (each test on destinations of its own), a data directory per test, and what a test
 * opened closed after it, last first.
 */
abstract class TwoBrokerCollectorTestBase {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Duration WAIT = Waits.CONDITION;

    @TempDir
    static Path brokerDirs;
    static BrokerProcess brokerA;
    static BrokerProcess brokerB;

    @TempDir
    Path dir;

    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startBrokers() throws IOException {
        List<BrokerProcess> brokers = TestBrokers.startTwo(brokerDirs);
        brokerA = brokers.get(0);
        brokerB = brokers.get(1);
    }

    @AfterAll
    static void stopBrokers() {
        brokerA.close();
        brokerB.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    CollectorYaml yaml(String prefix) {
        return new CollectorYaml(List.of(brokerA.uri(), brokerB.uri()), dir.resolve("data"), prefix);
    }

    Collector start(CollectorConfig config) throws IOException {
        Collector c = Collector.start(config, TestBrokers.WARNINGS);
        toClose.add(c);
        return c;
    }

    Sender sender(BrokerProcess broker) {
        Sender s = new Sender(broker.uri());
        toClose.add(s);
        return s;
    }
}
