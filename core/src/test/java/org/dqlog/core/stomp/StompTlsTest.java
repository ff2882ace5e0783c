package org.dqlog.core.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS against a local SSLServerSocket with a self-signed certificate made by keytool for this test. */
class StompTlsTest {

    private static final String STORE_PASSWORD = "store-pass-123";

    @TempDir
    Path temp;

    private FakeStompServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectsWhenTheCertificateMatchesTheConfiguredHostName() throws Exception {
        // given: a certificate for "localhost"; the session connects to 127.0.0.1 but verifies the name it was given
        Path store = keyPair("localhost", "dns:localhost");
        server = tlsServer(store);
        BrokerAddress address = BrokerAddress.parse("ssl://localhost:" + server.port())
                .withResolved(InetAddress.getByName("127.0.0.1"));

        // when
        FakeStompServer.Connection c = server.connect(address, config(store), SessionListener.IGNORE, "0,0");

        // then
        assertThat(c.session.isOpen()).isTrue();
        assertThat(c.connectFrame.header("host")).isEqualTo("localhost");
        c.session.close();
    }

    @Test
    void refusesATrustedCertificateIssuedForAnotherHost() throws Exception {
        // given: the certificate is trusted, but it names wrong.example, not the host we connect to
        Path store = keyPair("wrong.example", "dns:wrong.example");
        server = tlsServer(store);
        BrokerAddress address = BrokerAddress.parse("ssl://127.0.0.1:" + server.port());

        // when
        CompletableFuture<StompSession> opening = FakeStompServer.openAsync(address, config(store), SessionListener.IGNORE);
        try {
            server.accept().read(); // the server side of the handshake; it fails when the client aborts
        } catch (IOException expected) {
            // the client refused the certificate
        }

        // then
        assertThat(opening).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(SSLHandshakeException.class)
                .withMessageContaining("ssl://127.0.0.1:" + server.port())
                .withMessageContaining("valid for host 127.0.0.1");
    }

    @Test
    void unreadableTrustStoreFailsNamingTheFileButNotThePassword() {
        // given
        TlsSettings tls = TlsSettings.builder().trustStore(temp.resolve("missing.p12").toString())
                .trustStorePassword("hunter2").build();

        // when / then
        assertThatThrownBy(tls::sslContext).isInstanceOf(IOException.class)
                .hasMessageContaining("missing.p12").hasMessageNotContaining("hunter2");
        assertThat(tls.toString()).doesNotContain("hunter2");
    }

    private SessionConfig config(Path trustStore) {
        return SessionConfig.builder()
                .connectTimeout(Duration.ofSeconds(10))
                .heartbeat(Duration.ZERO)
                .disconnectTimeout(Duration.ofMillis(200))
                .tls(TlsSettings.builder().trustStore(trustStore.toString()).trustStorePassword(STORE_PASSWORD).build())
                .build();
    }

    private Path keyPair(String commonName, String subjectAltName) throws Exception {
        Path store = temp.resolve(commonName + ".p12");
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "EC",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltName, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", STORE_PASSWORD))
                .redirectErrorStream(true).redirectOutput(temp.resolve("keytool.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool exit code, see " + temp.resolve("keytool.log")).isZero();
        return store;
    }

    private static FakeStompServer tlsServer(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new FakeStompServer(socket);
    }
}
