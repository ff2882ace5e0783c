package org.dqlog.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The broker main and the testkit together: real broker JVMs, killed and restarted. */
@ExtendWith(ProcessReaper.class)
class BrokerProcessTest {

    private static final String QUEUE = "/queue/dqlog.test.broker";
    private static final Duration EXIT_WAIT = Waits.PROCESS;

    @TempDir
    Path temp;

    @Test
    void twoBrokersStartOnDistinctFreePortsAndPrintTheirUriAndDataDir() throws IOException {
        // when
        BrokerProcess first = BrokerProcess.start(temp.resolve("first"));
        BrokerProcess second = BrokerProcess.start(temp.resolve("second"));

        // then
        assertThat(first.port()).isPositive().isNotEqualTo(second.port());
        assertThat(first.uri()).isEqualTo("tcp://127.0.0.1:" + first.port());
        assertThat(first.process().stdoutLines())
                .containsExactly("dqlog-broker ready stomp=" + first.uri() + " data=" + temp.resolve("first").toAbsolutePath());
        try (RawStomp a = RawStomp.connect(first.port()); RawStomp b = RawStomp.connect(second.port())) {
            a.sendPersistentWithReceipt(QUEUE, "to first");
            b.sendPersistentWithReceipt(QUEUE, "to second");
        }
    }

    @Test
    void persistedMessageSurvivesSigkillAndRestartOnTheSamePort() throws IOException {
        // given
        BrokerProcess broker = BrokerProcess.start(temp.resolve("killed"));
        int port = broker.port();
        try (RawStomp producer = RawStomp.connect(port)) {
            producer.sendPersistentWithReceipt(QUEUE, "survives SIGKILL");
        }

        // when
        broker.kill();
        broker.restart();

        // then
        assertThat(broker.port()).isEqualTo(port);
        assertThat(broker.isAlive()).isTrue();
        try (RawStomp consumer = RawStomp.connect(port)) {
            consumer.subscribe(QUEUE);
            assertThat(consumer.receiveBody()).isEqualTo("survives SIGKILL");
        }
    }

    @Test
    void sigtermStopsTheBrokerCleanlyAndItsMessagesRemain() throws IOException {
        // given
        BrokerProcess broker = BrokerProcess.start(temp.resolve("terminated"));
        try (RawStomp producer = RawStomp.connect(broker.port())) {
            producer.sendPersistentWithReceipt(QUEUE, "survives SIGTERM");
        }

        // when
        boolean exited = broker.terminate();

        // then
        assertThat(exited).isTrue();
        assertThat(broker.process().exitCode()).isEqualTo(143);
        broker.restart();
        try (RawStomp consumer = RawStomp.connect(broker.port())) {
            consumer.subscribe(QUEUE);
            assertThat(consumer.receiveBody()).isEqualTo("survives SIGTERM");
        }
    }

    @Test
    void brokerExitsWhenItsStdinReachesEof() throws IOException {
        // given
        BrokerProcess broker = BrokerProcess.start(temp.resolve("orphan"));

        // when: what happens to the pipe when the test JVM dies
        broker.process().closeStdin();

        // then
        assertThat(broker.process().waitFor(EXIT_WAIT)).isTrue();
        assertThat(broker.process().exitCode()).isZero();
    }

    @Test
    void secondBrokerOnTheSameDataDirFailsInsteadOfWaitingForTheLock() throws IOException {
        // given
        BrokerProcess.start(temp.resolve("shared"));

        // when / then
        assertThatThrownBy(() -> BrokerProcess.start(temp.resolve("shared")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exit code 1");
    }

    @Test
    void restartAfterKillRebindsAFixedPortRequestedAtStart() throws IOException {
        // given: a port that was free a moment ago
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("fixed")).port(port).start();

        // when
        broker.kill();
        broker.restart();

        // then
        assertThat(broker.port()).isEqualTo(port);
        assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + port);
    }

    @Test
    void fullStoreRefusesSendsWithAnErrorInsteadOfBlockingTheProducer() throws IOException {
        // given: a store of 40 MB
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("full")).args("--store-limit-mb", "40").start();
        String megabyte = "x".repeat(1024 * 1024);

        // when: 1 MB messages until the broker says no (a blocked producer would hit the read timeout)
        String reply = "";
        try (RawStomp producer = RawStomp.connect(broker.port())) {
            for (int sent = 0; sent < 100 && !reply.startsWith("ERROR"); sent++) {
                reply = producer.sendPersistentAndReadReply(QUEUE, megabyte);
            }
        }

        // then
        assertThat(reply).startsWith("ERROR").contains("store is Full");
    }

    @Test
    void awaitLineReportsTheExitCodeAndOutputOfAChildThatEndsWithoutTheLine() throws IOException {
        // given
        ChildProcess child = ChildProcess.command("sh", "-c", "echo hello 42; echo oops >&2; exit 3").start();

        // when
        MatchResult hello = child.awaitLine(Pattern.compile("hello (\\d+)"), Waits.PROCESS);

        // then
        assertThat(hello.group(1)).isEqualTo("42");
        assertThatThrownBy(() -> child.awaitLine(Pattern.compile("never printed"), Duration.ofSeconds(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("[err] oops");
        assertThat(child.exitCode()).isEqualTo(3);
        assertThat(child.stderrLines()).containsExactly("oops");
    }

    @Test
    void aPasscodeFileOthersCanReadIsNamedWithItsModeOnStderr() throws IOException {
        // given
        Path file = java.nio.file.Files.writeString(temp.resolve("passcode"), "s3cret\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));

        // when
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("data")).args("--user", "dq", "--passcode-file",
                file.toString()).start();

        // then
        assertThat(broker.process().stderrLines()).containsOnlyOnce("dqlog broker: warning: the passcode file " + file
                + " is readable by others (mode rw-rw-r--); make it owner-only: chmod 600 " + file);
        assertThat(String.join("\n", broker.process().lines())).doesNotContain("s3cret");
    }
}
