package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * Issue 10, defect 2: a broker that refuses ONE message (here: the panic copy, to a queue the
 * user may not write; a real ActiveMQ authorizationPlugin answering with an ERROR frame) must not
 * stop the delivery of everything else.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderRefusedMessageTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void aMessageRefusedByTheBrokerGoesToTheDeadLetterFileAndEverythingElseIsDelivered() throws Exception {
        // given: "app" may write the logging queue but not the panic queue; "ops" reads
        SecurityFile security = SecurityFile.create()
                .user("app", "app-pass", "writers")
                .user("ops", "ops-pass", "admins")
                .queue("atlas.dqm.logging", "admins", "writers,admins", "writers,admins")
                .queue("atlas.dqm.panic", "admins", "admins", "admins")
                .topic("dqlog.test.>", "admins", "admins", "admins") // the reader's subscription check
                .writeTo(temp.resolve("security.txt"));
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).security(security).start();
        Path appDir = Files.createDirectories(temp.resolve("app"));
        try (QueueReader reader = QueueReader.open(broker.uri(), Destinations.LOGGING, Credentials.of("ops", "ops-pass"))) {
            RecordingStatus status = new RecordingStatus();
            AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(broker.uri(), "refused-test")
                    .login("app").passcode("app-pass").spoolDir(appDir.resolve("spool")).build(), status);

            // when: one panic (its panic copy is refused), then ordinary records behind it
            LogRecord panic = TestRecords.record("refused-panic", Level.ERROR).toBuilder().panic(true).build();
            assertThat(sender.submit(panic)).isTrue();
            List<String> ids = new ArrayList<>(List.of(panic.id()));
            ids.addAll(AsyncSenderOutageTest.submit(sender, "behind", 20));

            // then: every record reaches the logging queue (the panic's logging copy too)
            await().atMost(WAIT).untilAsserted(() -> assertThat(reader.ids()).as(sender.stats() + "; status "
                    + status.messages()).containsAll(ids));
            // the refused message was not sent again and again
            long loggingCopies = reader.records().stream().filter(r -> r.id().equals(panic.id())).count();
            assertThat(loggingCopies).as("logging copies of the refused panic").isLessThanOrEqualTo(2);
            // it is kept in a dead-letter file beside the spool, reported, and the central log gets a WARN
            await().atMost(WAIT).until(() -> deadLetterFilesHolding(appDir, panic.id()) > 0);
            assertThat(status.messages()).anyMatch(m -> m.contains("atlas.dqm.panic"));
            await().atMost(WAIT).until(() -> reader.records().stream().anyMatch(r -> r.level() == Level.WARN
                    && r.logger() != null && r.logger().startsWith("org.dqlog") && !ids.contains(r.id())));
            sender.close();
            assertThat(new HashSet<>(ids)).isSubsetOf(reader.ids());
        }
    }

    /** Files under {@code dir}, other than the spool's segments, cursor and lock, that contain {@code id}. */
    static long deadLetterFilesHolding(Path dir, String id) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(".seg"))
                    .filter(f -> !List.of("cursor", "lock").contains(f.getFileName().toString()))
                    .filter(f -> contains(f, id)).count();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
