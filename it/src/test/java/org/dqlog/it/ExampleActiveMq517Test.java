package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;

import org.dqlog.testkit.DebianActiveMq;
import org.dqlog.testkit.TestCertificates;
import org.dqlog.testkit.Waits;

/**
 * examples/activemq.xml as it is, on Debian's stock ActiveMQ 5.17 (the {@code activemq} package,
 * which .ci/run installs), in a configuration directory laid out as the example's header asks:
 * the key store and the passwords file beside it, owner-only. The one change is the listen
 * address an operator picks anyway: loopback and a free port instead of 0.0.0.0:61614.
 */
class ExampleActiveMq517Test extends LeastPrivilegeBrokerTest {

    static final Path EXAMPLE = Paths.get("..", "examples", "activemq.xml");
    static final String LISTEN = "stomp+ssl://0.0.0.0:61614";

    @Override
    String startBroker(Path brokerDir, TestCertificates certificates) throws Exception {
        assumeTrue(DebianActiveMq.installed(), "Debian's ActiveMQ 5.17 is not installed in " + DebianActiveMq.HOME
                + " (apt-get install activemq; .ci/run does it)");
        String xml = Files.readString(EXAMPLE);
        assertThat(xml).as(EXAMPLE.toString()).containsOnlyOnce(LISTEN);
        Path conf = Files.createDirectories(brokerDir.resolve("conf"));
        Files.writeString(conf.resolve("activemq.xml"), xml.replace(LISTEN, "stomp+ssl://127.0.0.1:0"));
        Path keyStore = Files.copy(certificates.keyStore(), conf.resolve("broker.p12"));
        Files.setPosixFilePermissions(keyStore, PosixFilePermissions.fromString("rw-------"));
        ownerOnly(conf.resolve("dqlog-credentials.properties"),
                "dqlog.keyStorePassword=" + TestCertificates.PASSWORD + "\n"
                        + "dqlog.node1.password=" + PASSWORDS.get(NODE1) + "\n"
                        + "dqlog.node2.password=" + PASSWORDS.get(NODE2) + "\n"
                        + "dqlog.collector.password=" + PASSWORDS.get(COLLECTOR));
        DebianActiveMq broker = DebianActiveMq.start(conf, brokerDir.resolve("data"), Waits.PROCESS);
        return "ssl://localhost:" + broker.port();
    }
}
