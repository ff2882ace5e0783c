package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.SecurityFile;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a batch a broker refuses for good goes to the dead-letter file while delivery goes on;
 * producers spread over brokers, and spread again onto a broker that was restarted.
 */
@ExtendWith(ProcessReaper.class)
class BatchRefusalAndSpreadTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void aRefusedBatchGoesToTheDeadLetterFileWhileDeliveryGoesOn() throws Exception {
        // given: "app" may write the panic queue but not the logging queue (a real authorizationPlugin)
        SecurityFile security = SecurityFile.create()
                .user("app", "app-pass", "writers")
                .user("ops", "ops-pass", "admins")
                .queue("atlas.dqm.logging", "admins", "admins", "admins")
                .queue("atlas.dqm.panic", "admins", "writers,admins", "writers,admins")
                .topic("dqlog.test.>", "admins", "admins", "admins")
                .writeTo(temp.resolve("security.txt"));
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).security(security).start();
        broker.stop(); // the records below wait together, so they travel as batches
        Path appDir = Files.createDirectories(temp.resolve("app"));
        RecordingStatus status = new RecordingStatus();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(broker.uri(), "refused-batch-test")
                .login("app").passcode("app-pass").spoolDir(appDir.resolve("spool")).build(), status);

        // when: 200 records wait (two of them panics), the broker thaws, then one more panic comes
        List<String> ids = BatchedSendingTest.submitMixed(sender, "refused", 200);
        broker.resume();
        try (QueueReader panics = QueueReader.open(broker.uri(), Destinations.PANIC, Credentials.of("ops", "ops-pass"))) {
            await().atMost(WAIT).until(() -> panics.ids().size() == 2);
            LogRecord later = TestRecords.record("later-panic", Level.ERROR).toBuilder().panic(true).build();
            assertThat(sender.submit(later)).isTrue();

            // then: delivery went on (the later panic arrives), and every refused record is kept
            await().atMost(WAIT).until(() -> panics.ids().contains(later.id()));
            await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters(appDir)).contains(ids));
            assertThat(status.messages()).anyMatch(m -> m.contains("atlas.dqm.logging"));
            sender.close();
        }
    }

    @Test
    void producersSpreadOverBothBrokersAndComeBackToOneThatWasRestarted() throws Exception {
        // given: two brokers and four producers that re-choose their broker every second or so
        BrokerProcess a = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess b = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();
        List<AsyncSender> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            senders.add(AsyncSender.start(AsyncSenderOutageTest.config(a.uri() + "," + b.uri(), "spread-" + i)
                    .spoolDir(temp.resolve("spool-" + i)).rebalanceInterval(Duration.ofSeconds(1)).build(),
                    new RecordingStatus()));
        }
        AtomicReference<String> phase = new AtomicReference<>("first");
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            for (long n = 0; !stop.get(); n++) {
                for (AsyncSender s : senders) {
                    s.submit(TestRecords.record(phase.get() + "-" + s.config().app() + "-" + n, Level.INFO));
                }
                try {
                    Thread.sleep(5); // a steady trickle, not a speed test
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        producer.start();
        try (QueueReader readerA = QueueReader.open(a, Destinations.LOGGING)) {
            // then: both brokers get traffic
            QueueReader readerB = QueueReader.open(b, Destinations.LOGGING);
            await().atMost(WAIT).until(() -> !readerA.ids().isEmpty() && !readerB.ids().isEmpty());

            // when: broker b dies (everyone moves to a) and comes back
            b.kill();
            readerB.close();
            b.restart();
            phase.set("second");

            // then: producers come back to it without any of them failing
            try (QueueReader again = QueueReader.open(b, Destinations.LOGGING)) {
                await().atMost(WAIT).until(() -> again.ids().stream().anyMatch(id -> id.startsWith("second-")));
            }
        } finally {
            stop.set(true);
            producer.join();
            for (AsyncSender s : senders) {
                s.close();
            }
        }
    }

    /** The text of every dead-letter file under {@code dir}. */
    private static String deadLetters(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(DeadLetterFile.SUFFIX))
                    .map(f -> {
                        try {
                            return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            return "";
                        }
                    }).collect(Collectors.joining("\n"));
        }
    }
}
