package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.SecurityFile;
import org.dqlog.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permanent errors end {@code dqlog panic} and {@code run} at once: an unreadable trust store is a
 * configuration error (exit 2 before anything runs); a refused login or certificate fails as soon
 * as every broker refused. Real brokers: one that demands a login, one that serves TLS only.
 */
class PanicFailsFastTest {

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    static Path shared;
    static TestCertificates certs;
    static TestCertificates strangers;
    static BrokerProcess loginBroker;
    static BrokerProcess tlsBroker;
    static BrokerProcess openBroker;
    static BrokerProcess noPanicBroker;

    @TempDir
    Path cwd;

    @BeforeAll
    static void startBrokers() throws IOException {
        certs = TestCertificates.create(shared.resolve("certs"));
        strangers = TestCertificates.create(shared.resolve("strangers"));
        Path pass = Files.writeString(shared.resolve("broker.pass"), "right-pass\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        loginBroker = BrokerProcess.builder(shared.resolve("login")).name("login-broker")
                .args("--user", "dq", "--passcode-file", pass.toString()).start();
        tlsBroker = BrokerProcess.builder(shared.resolve("tls")).name("tls-broker")
                .tls(certs.keyStore(), certs.passwordFile()).start();
        openBroker = BrokerProcess.start(shared.resolve("open"));
        // "app" may write the logging queue but not the panic queue (a real authorizationPlugin)
        SecurityFile security = SecurityFile.create()
                .user("app", "app-pass", "writers")
                .user("ops", "ops-pass", "admins")
                .queue("atlas.dqm.logging", "admins", "writers,admins", "writers,admins")
                .queue("atlas.dqm.panic", "admins", "admins", "admins")
                .writeTo(shared.resolve("security.txt"));
        noPanicBroker = BrokerProcess.builder(shared.resolve("no-panic")).name("no-panic-broker")
                .security(security).start();
    }

    @AfterAll
    static void stopBrokers() {
        loginBroker.close();
        tlsBroker.close();
        openBroker.close();
        noPanicBroker.close();
    }

    private Cli cli(String brokers, String... more) {
        Map<String, String> env = new HashMap<>(Map.of("DQLOG_BROKERS", brokers, "DQLOG_APP", "fail-fast"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return new Cli(env, cwd);
    }

    @Test
    void aMissingTrustStoreIsAConfigurationErrorBeforeTheCommandRuns() {
        String missing = cwd.resolve("nowhere.p12").toString();
        Cli cli = cli(tlsBroker.uri(), "DQLOG_TRUST_STORE", missing, "DQLOG_TRUST_STORE_PASSWORD", "x");

        Cli.Result panic = cli.run("panic", "disk full");
        Cli.Result run = cli.run("run", "--", "sh", "-c", "echo ran; exit 3");

        for (Cli.Result r : java.util.List.of(panic, run)) {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("dqlog: cannot read the trust store " + missing + ": no such file");
        }
        assertThat(run.rawOut()).isEmpty();
    }

    @Test
    void aTrustStoreWithAnotherPasswordIsAConfigurationError() {
        Cli.Result r = cli(tlsBroker.uri(), "DQLOG_TRUST_STORE", certs.trustStore().toString(),
                "DQLOG_TRUST_STORE_PASSWORD", "not-the-password").run("panic", "disk full");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("dqlog: cannot read the trust store " + certs.trustStore()
                + ": wrong password (or not a PKCS12 store)");
    }

    @Test
    void aRefusedLoginOnEveryBrokerFailsAtOnceInOneLine() {
        Cli.Result r = cli(loginBroker.uri(), "DQLOG_LOGIN", "dq", "DQLOG_PASSCODE", "wrong-pass")
                .run("panic", "disk full");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(2) // the warning about a passcode over tcp://, then the failure
                .last().asString().startsWith("dqlog: panic not sent: every broker refused it for good: ")
                .contains(loginBroker.uri()).contains("password is invalid").doesNotContain("wrong-pass");
    }

    @Test
    void anUntrustedCertificateFailsAtOnce() {
        Cli.Result r = cli(tlsBroker.uri(), "DQLOG_TRUST_STORE", strangers.trustStore().toString(),
                "DQLOG_TRUST_STORE_PASSWORD", TestCertificates.PASSWORD).run("panic", "disk full");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("dqlog: panic not sent: every broker refused it for good: ")
                .contains(tlsBroker.uri()).contains("certificate");
    }

    @Test
    void aPanicTheBrokerRefusesToStoreFailsAtOnceNamingTheRefusal() {
        // a timeout far longer than the test: the refusal of the panic copy must end it, not the clock
        Cli.Result r = cli(noPanicBroker.uri(), "DQLOG_LOGIN", "app", "DQLOG_PASSCODE", "app-pass")
                .run("panic", "--timeout", "10m", "disk full");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(2) // the warning about a passcode over tcp://, then the failure
                .last().asString().startsWith("dqlog: panic not sent: ")
                .contains("refused").contains("atlas.dqm.panic").contains("not authorized")
                .doesNotContain("within").doesNotContain("app-pass");
    }

    @Test
    void oneBrokerRefusingWhileAnotherAcceptsIsNoFailure() {
        Cli.Result r = cli(loginBroker.uri() + "," + tlsBroker.uri(), "DQLOG_LOGIN", "dq",
                "DQLOG_PASSCODE", "right-pass", "DQLOG_TRUST_STORE", strangers.trustStore().toString(),
                "DQLOG_TRUST_STORE_PASSWORD", TestCertificates.PASSWORD).run("panic", "disk full");
        Cli.Result open = cli(tlsBroker.uri() + "," + openBroker.uri(), "DQLOG_TRUST_STORE",
                strangers.trustStore().toString(), "DQLOG_TRUST_STORE_PASSWORD", TestCertificates.PASSWORD)
                .run("panic", "disk full");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(open.exitCode()).as(open.err()).isZero();
    }

    @Test
    void aRunOverTlsWithTheRightTrustStoreSendsItsPanic() {
        Cli.Result r = cli(tlsBroker.uri(), "DQLOG_TRUST_STORE", certs.trustStore().toString(),
                "DQLOG_TRUST_STORE_PASSWORD", TestCertificates.PASSWORD).run("run", "--", "sh", "-c", "exit 4");

        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void plainTcpToATlsPortSaysUseSslInPrintableText() {
        Cli.Result r = cli("tcp://127.0.0.1:" + tlsBroker.port()).run("panic", "--timeout", "2s", "disk full");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("this looks like a TLS port; use ssl://");
        assertThat(r.err().strip().chars()).noneMatch(c -> c < 0x20 && c != '\n' || c == 0x7f);
    }
}
