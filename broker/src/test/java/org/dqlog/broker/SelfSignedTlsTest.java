package org.dqlog.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTlsTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Pattern TRUST_LINE = Pattern.compile(
            "^" + Pattern.quote(BrokerMain.TRUST_PREFIX) + "(\\S+) password-file=(\\S+)$");

    @TempDir
    Path temp;

    @Test
    void servesTlsWithACertificateItMakesOwnerOnlyAndSaysWhereClientsFindTheTrustStore() throws Exception {
        // when a broker is asked for a self-signed certificate
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("data")).tlsSelfSigned().start();

        // then it says where the trust store and its password file are, in the data directory's tls folder
        Matcher trust = broker.process().stdoutLines().stream().map(TRUST_LINE::matcher).filter(Matcher::matches)
                .findFirst().orElseThrow(() -> new AssertionError(broker.process().describe("no trust-store line")));
        Path folder = temp.resolve("data").resolve(BrokerMain.SELF_SIGNED_DIR).toAbsolutePath();
        Path trustStore = Path.of(trust.group(1));
        Path passwordFile = Path.of(trust.group(2));
        assertThat(trustStore).isEqualTo(folder.resolve(SelfSignedTls.TRUST_STORE));
        assertThat(passwordFile).isEqualTo(folder.resolve(SelfSignedTls.PASSWORD_FILE));
        assertThat(broker.uri()).startsWith("ssl://localhost:");

        // and everything it made is owner-only, the password nowhere in its output
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        try (var files = Files.list(folder)) {
            assertThat(files.toList()).containsExactlyInAnyOrder(folder.resolve(SelfSignedTls.KEY_STORE), trustStore,
                    passwordFile).allSatisfy(f -> assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------"));
        }
        String password = Files.readAllLines(passwordFile).get(0);
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        assertThat(String.join("\n", broker.process().lines())).doesNotContain(password);

        // and a client that trusts that store (and checks the host name) is served over TLS
        try (RawStomp client = RawStomp.connectTls(broker.port(), trusting(trustStore, password.toCharArray()))) {
            client.sendPersistentWithReceipt("/queue/self-signed", "over TLS");
        }
        // while one that does not trust it is refused in the handshake
        SSLContext jvmDefault = SSLContext.getInstance("TLS");
        jvmDefault.init(null, null, null);
        assertThatThrownBy(() -> RawStomp.connectTls(broker.port(), jvmDefault)).isInstanceOf(IOException.class);

        // and a broker started again on the data directory keeps the same certificate (no keytool run)
        byte[] keyStore = Files.readAllBytes(folder.resolve(SelfSignedTls.KEY_STORE));
        SelfSignedTls again = SelfSignedTls.inFolder(folder, "0.0.0.0");
        assertThat(Files.readAllBytes(again.keyStore())).isEqualTo(keyStore);
        assertThat(again.password()).isEqualTo(password.toCharArray());
    }

    @Test
    void theCertificateNamesLocalhostAndTheAddressTheBrokerListensOn() {
        assertThat(SelfSignedTls.subjectAlternativeNames("0.0.0.0")).isEqualTo("dns:localhost,ip:127.0.0.1");
        assertThat(SelfSignedTls.subjectAlternativeNames("192.168.1.5"))
                .isEqualTo("dns:localhost,ip:127.0.0.1,ip:192.168.1.5");
        assertThat(SelfSignedTls.subjectAlternativeNames("mq1.example.org"))
                .isEqualTo("dns:localhost,ip:127.0.0.1,dns:mq1.example.org");
        assertThat(List.of("127.0.0.1", "localhost")).allSatisfy(
                h -> assertThat(SelfSignedTls.subjectAlternativeNames(h)).isEqualTo("dns:localhost,ip:127.0.0.1"));
    }

    private static SSLContext trusting(Path trustStore, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
