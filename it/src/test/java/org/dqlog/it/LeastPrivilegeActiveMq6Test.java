package org.dqlog.it;

import java.nio.file.Path;

import org.dqlog.testkit.SecurityFile;
import org.dqlog.testkit.TestCertificates;

/**
 * The rights of examples/activemq.xml on ActiveMQ 6 as the tests start it ({@code dqlog broker
 * --security-file} with TLS): the same users, groups and authorization entries.
 */
class LeastPrivilegeActiveMq6Test extends LeastPrivilegeBrokerTest {

    static final String PRODUCERS = "dqlog-producers";
    static final String COLLECTORS = "dqlog-collectors";
    static final String BOTH = PRODUCERS + "," + COLLECTORS;

    @Override
    String startBroker(Path brokerDir, TestCertificates certificates) throws Exception {
        SecurityFile security = SecurityFile.create()
                .user(NODE1, PASSWORDS.get(NODE1), PRODUCERS)
                .user(NODE2, PASSWORDS.get(NODE2), PRODUCERS)
                .user(COLLECTOR, PASSWORDS.get(COLLECTOR), COLLECTORS)
                .queue("atlas.dqm.logging", COLLECTORS, PRODUCERS, BOTH)
                .queue("atlas.dqm.panic", COLLECTORS, PRODUCERS, BOTH)
                .topic("atlas.dqm.progress", COLLECTORS, PRODUCERS, BOTH)
                .writeTo(brokerDir.resolve("security.txt"));
        return Brokers.builder(brokerDir.resolve("data"), "activemq-6").security(security)
                .tls(certificates.keyStore(), certificates.passwordFile()).start().uri();
    }
}
