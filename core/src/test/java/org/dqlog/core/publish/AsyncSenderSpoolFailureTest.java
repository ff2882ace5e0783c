package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import org.dqlog.core.Destinations;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 5: one I/O error of the spool (here a /tmp cleaner removing the spool directory
 * under a running sender) must not leave the process memory-only for good.
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderSpoolFailureTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void aSpoolWhoseDirectoryWasRemovedIsOpenedAgainAndKeepsTakingRecords() throws Exception {
        // given: no broker, a sender whose spool is open
        int port = TestRecords.freePort();
        Path spoolDir = temp.resolve("spool");
        RecordingStatus status = new RecordingStatus();
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + port, "spool-failure-test")
                .spoolDir(spoolDir).build(), status);
        await().atMost(WAIT).until(() -> Files.exists(spoolDir.resolve("lock")));

        // when: a cleaner removes the spool directory, then the application logs
        deleteTree(spoolDir);
        List<String> ids = new ArrayList<>(AsyncSenderOutageTest.submit(sender, "after-cleaner", 50));
        await().atMost(WAIT).until(() -> status.messages().stream().anyMatch(m -> m.contains(spoolDir.toString())));

        // then: the sender opens the spool again and records go to disk, not to memory for good
        ids.addAll(AsyncSenderOutageTest.submit(sender, "later", 50));
        await().atMost(WAIT).untilAsserted(() -> assertThat(segments(spoolDir))
                .as("segments in the spool again; " + sender.stats() + "; errors " + status.errors()).isPositive());

        // and once a broker is back, every record arrives
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).port(port).start();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            await().atMost(WAIT).until(() -> reader.ids().containsAll(ids));
            assertThat(reader.ids()).isEqualTo(new HashSet<>(ids));
        }
        sender.close();
        assertThat(sender.stats().lost()).isZero();
        assertThat(sender.stats().dropped()).isZero();
    }

    static long segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).count();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
