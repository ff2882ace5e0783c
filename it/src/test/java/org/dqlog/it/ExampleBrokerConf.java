package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.dqlog.testkit.TestCertificates;

/**
 * examples/activemq.xml in a broker's configuration folder ({@code activemq.conf}) laid out as the
 * example's header asks: the key store and the passwords file beside it, owner-only. The one change
 * to the file is the listen address an operator picks anyway: loopback and a free port instead of
 * 0.0.0.0:61614.
 */
final class ExampleBrokerConf {

    static final Path EXAMPLE = Paths.get("..", "examples", "activemq.xml");
    static final String LISTEN = "stomp+ssl://0.0.0.0:61614";
    static final String TEST_LISTEN = "stomp+ssl://127.0.0.1:0";
    /** The example's STOMP connector takes frames up to this size ({@code wireFormat.maxFrameSize}). */
    static final int MAX_FRAME_SIZE = 16 * 1024 * 1024;

    private ExampleBrokerConf() {
    }

    /** Writes the folder; {@code passwords} by user name (node1, node2, dqlog-collector). */
    static Path write(Path conf, TestCertificates certificates, Map<String, String> passwords) throws IOException {
        String xml = Files.readString(EXAMPLE);
        assertThat(xml).as(EXAMPLE.toString()).containsOnlyOnce(LISTEN)
                .contains("wireFormat.maxFrameSize=" + MAX_FRAME_SIZE);
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("activemq.xml"), xml.replace(LISTEN, TEST_LISTEN));
        Path keyStore = Files.copy(certificates.keyStore(), conf.resolve("broker.p12"));
        Files.setPosixFilePermissions(keyStore, PosixFilePermissions.fromString("rw-------"));
        LeastPrivilegeBrokerTest.ownerOnly(conf.resolve("dqlog-credentials.properties"),
                "dqlog.keyStorePassword=" + TestCertificates.PASSWORD + "\n"
                        + "dqlog.node1.password=" + passwords.get("node1") + "\n"
                        + "dqlog.node2.password=" + passwords.get("node2") + "\n"
                        + "dqlog.collector.password=" + passwords.get("dqlog-collector"));
        return conf;
    }
}
