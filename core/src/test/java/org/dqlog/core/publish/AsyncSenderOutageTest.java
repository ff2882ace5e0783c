package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous sender while no broker is reachable: spooling, not blocking, delivering afterwards. */
@ExtendWith(ProcessReaper.class)
class AsyncSenderOutageTest {

    private static final Duration WAIT = Waits.CONDITION;
    private static final String APP = "outage-test";

    @TempDir
    Path temp;

    static SenderConfig.Builder config(String brokers, String app) {
        return SenderConfig.builder()
                .settings(ClientSettings.of(Map.of(), Map.of())) // nothing from the test JVM's environment
                .brokers(brokers).app(app).host("testhost")
                .heartbeat(Duration.ofSeconds(1))
                .reconnectDelayMin(Duration.ofMillis(200)).reconnectDelayMax(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(10))
                .statusInterval(Duration.ZERO);
    }

    static List<String> submit(AsyncSender sender, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LogRecord r = TestRecords.record(prefix + "-" + i, Level.INFO);
            assertThat(sender.submit(r)).as("submit " + i).isTrue();
            ids.add(r.id());
        }
        return ids;
    }

    @Test
    void spoolsWhileNoBrokerAnswersWithoutBlockingSubmitAndDeliversEverythingOnceABrokerStarts() throws Exception {
        // given: a frozen broker (SIGSTOP): TCP connects, CONNECTED never comes, so the sender thread hangs in open()
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        broker.stop();
        Path spoolDir = temp.resolve("spool");
        RecordingStatus status = new RecordingStatus();
        AsyncSender sender = AsyncSender.start(config(broker.uri(), APP).spoolDir(spoolDir)
                .connectTimeout(Duration.ofSeconds(120)).roundTimeout(Duration.ofSeconds(120)).build(), status);
        await().atMost(WAIT).until(() -> senderThreadIsConnecting(APP));

        // when: the application logs while the sender thread is stuck
        List<String> ids = submit(sender, "outage", 2_000);

        // then: every submit returned although the sender thread is still stuck, and nothing was sent
        assertThat(senderThreadIsConnecting(APP)).as("sender thread still waiting for CONNECTED").isTrue();
        assertThat(sender.stats().sent()).isZero();

        // when: the broker is gone for good (connects are refused), the sender moves the records to disk
        broker.kill();
        await().atMost(WAIT).until(() -> sender.stats().spooled() == ids.size());
        assertThat(sender.stats().sent()).isZero();
        assertThat(sender.stats().spoolBytes()).isPositive();
        try (Stream<Path> files = Files.list(spoolDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".seg"));
        }
        assertThat(status.warnings()).anyMatch(w -> w.contains("no broker reachable") && w.contains("spooling"));

        // when: a broker starts on that address (with the old data, empty queue)
        broker.restart();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            // then: exactly the submitted records arrive
            await().atMost(WAIT).until(() -> reader.ids().containsAll(ids));
            assertThat(reader.ids()).isEqualTo(new HashSet<>(ids));
            await().atMost(WAIT).until(() -> sender.stats().sent() == ids.size());
        }
        sender.close();
        assertThat(sender.stats().lost()).isZero();
        assertThat(sender.stats().dropped()).isZero();
    }

    @Test
    void recordsSpooledBeforeARestartOfTheApplicationAreSentByTheNextProcess() throws Exception {
        // given: nothing listens on the configured port
        int port = TestRecords.freePort();
        String uri = "tcp://127.0.0.1:" + port;
        Path spoolDir = temp.resolve("spool");
        AsyncSender first = AsyncSender.start(config(uri, "restart-test").spoolDir(spoolDir).build(), newStatus());
        List<String> ids = submit(first, "before-restart", 300);
        await().atMost(WAIT).until(() -> first.stats().spooled() == ids.size());

        // when: the application stops, and starts again once a broker is up
        first.close();
        assertThat(first.stats().lost()).isZero();
        assertThat(first.submit(TestRecords.record("after-close", Level.INFO))).as("submit after close").isFalse();
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            AsyncSender second = AsyncSender.start(config(uri, "restart-test").spoolDir(spoolDir).build(), newStatus());

            // then: the new process sends what the old one spooled, exactly that
            await().atMost(WAIT).until(() -> reader.ids().containsAll(ids));
            assertThat(reader.ids()).isEqualTo(new HashSet<>(ids));
            await().atMost(WAIT).until(() -> second.stats().sent() == ids.size());
            second.close();
        }
    }

    private static RecordingStatus newStatus() {
        return new RecordingStatus();
    }

    /** True while the sender thread of {@code app} waits inside {@link StompSession#open}. */
    static boolean senderThreadIsConnecting(String app) {
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            if (thread.getKey().getName().equals("dqlog-sender-" + app)) {
                for (StackTraceElement frame : thread.getValue()) {
                    if (frame.getClassName().equals(StompSession.class.getName()) && frame.getMethodName().equals("open")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
