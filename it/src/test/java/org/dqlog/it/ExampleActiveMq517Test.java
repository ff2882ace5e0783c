package org.dqlog.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.dqlog.testkit.DebianActiveMq;
import org.dqlog.testkit.TestCertificates;
import org.dqlog.testkit.Waits;

/**
 * examples/activemq.xml as it is ({@link ExampleBrokerConf}), on Debian's stock ActiveMQ 5.17 (the
 * {@code activemq} package, which .ci/run installs), started as Debian's start script starts it.
 */
class ExampleActiveMq517Test extends LeastPrivilegeBrokerTest {

    @Override
    String startBroker(Path brokerDir, TestCertificates certificates) throws Exception {
        assumeTrue(DebianActiveMq.installed(), "Debian's ActiveMQ 5.17 is not installed in " + DebianActiveMq.HOME
                + " (apt-get install activemq; .ci/run does it)");
        Path conf = ExampleBrokerConf.write(brokerDir.resolve("conf"), certificates, PASSWORDS);
        DebianActiveMq broker = DebianActiveMq.start(conf, brokerDir.resolve("data"), Waits.PROCESS);
        return "ssl://localhost:" + broker.port();
    }
}
