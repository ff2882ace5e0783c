package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolBatch;
import org.dqlog.core.spool.SpoolEntry;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose encoding throws (a decoration failing with an {@link Error}, an id too long for
 * the spool) is never lost uncounted: it travels as a note saying so, with a fresh id if its own
 * is unusable, and the records around it go on as usual, on every thread that encodes (the spill
 * thread, the sender thread).
 */
@ExtendWith(ProcessReaper.class)
class AsyncSenderUnencodableRecordTest {

    private static final String BOOM = "boom";
    /** Fails the way a deep cause chain does: with an Error, not an exception. */
    private static final UnaryOperator<LogRecord> FAILING_DECORATION = r -> {
        if (BOOM.equals(r.message())) {
            throw new StackOverflowError("deep cause chain");
        }
        return r;
    };

    @TempDir
    Path temp;

    @Test
    void theSpillThreadKeepsTheRecordsAroundOneWhoseDecorationThrowsAnError() throws Exception {
        Path spoolDir = temp.resolve("spool");
        AsyncSender sender = offlineSenderSpoolingTo(spoolDir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LogRecord r = TestRecords.record("rec-" + i, Level.INFO);
            r = i == 3 ? r.toBuilder().message(BOOM).build() : r;
            assertThat(sender.submit(r)).isTrue();
            ids.add(r.id());
        }
        await().atMost(Waits.CONDITION).until(() -> sender.stats().queued() == 0); // the spill thread took them all
        sender.close();

        List<SpoolEntry> spooled = readSpool(spoolDir);
        assertThat(spooled).extracting(SpoolEntry::id).containsAll(ids);
        assertThat(spooled).filteredOn(e -> e.id().equals("rec-3")).singleElement()
                .satisfies(e -> assertThat(e.bodyAsString()).contains("could not be encoded", "StackOverflowError"));
        assertThat(sender.stats().lost()).isZero();
    }

    @Test
    void recordsWithIdsTooLongForTheSpoolAreKeptAsNotesWithFreshIds() throws Exception {
        Path spoolDir = temp.resolve("spool");
        AsyncSender sender = offlineSenderSpoolingTo(spoolDir);
        String longId = "x".repeat(SpoolEntry.MAX_ID_CHARS + 1);
        for (int i = 0; i < 20; i++) {
            assertThat(sender.submit(TestRecords.record(longId + i, Level.INFO))).isTrue();
        }
        await().atMost(Waits.CONDITION).until(() -> sender.stats().queued() == 0);
        sender.close();

        List<SpoolEntry> spooled = readSpool(spoolDir);
        assertThat(spooled).as("one note per record, each under an id of this sender").hasSize(21)
                .filteredOn(e -> !e.id().equals("warm-up"))
                .allSatisfy(e -> assertThat(e.bodyAsString()).contains("could not be encoded"))
                .extracting(SpoolEntry::id).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).hasSizeLessThan(100));
    }

    @Test
    void theSenderThreadSendsANoteForARecordWhoseDecorationThrowsAnErrorAndGoesOn() throws Exception {
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config(broker.uri(), "unencodable").build(),
                new RecordingStatus(), FAILING_DECORATION);
        try (QueueReader logging = QueueReader.open(broker, Destinations.LOGGING)) {
            LogRecord failing = TestRecords.record("the-failing-one", Level.INFO).toBuilder().message(BOOM).build();
            assertThat(sender.submit(failing)).isTrue();
            await().atMost(Waits.CONDITION).until(() -> logging.ids().contains(failing.id()));

            // the sender thread lives on: later records are accepted and delivered
            List<String> later = AsyncSenderOutageTest.submit(sender, "later", 10);
            await().atMost(Waits.CONDITION).until(() -> logging.ids().containsAll(later));
            assertThat(logging.records()).filteredOn(r -> r.id().equals(failing.id())).singleElement()
                    .satisfies(r -> assertThat(r.message()).contains("could not be encoded"));
        } finally {
            sender.close();
        }
    }

    /** A sender with no broker, whose spill thread is known to be spooling (a first record reached the spool). */
    private AsyncSender offlineSenderSpoolingTo(Path spoolDir) throws Exception {
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + TestRecords.freePort(),
                "unencodable").spoolDir(spoolDir).build(), new RecordingStatus(), FAILING_DECORATION);
        assertThat(sender.submit(TestRecords.record("warm-up", Level.INFO))).isTrue();
        await().atMost(Waits.CONDITION).until(() -> sender.stats().spooled() == 1);
        return sender;
    }

    private static List<SpoolEntry> readSpool(Path dir) throws IOException {
        List<SpoolEntry> all = new ArrayList<>();
        try (DiskSpool spool = DiskSpool.open(dir, Long.MAX_VALUE, new DropCounter(), Status.SILENT)) {
            SpoolBatch b;
            while ((b = spool.readBatch(1000, Long.MAX_VALUE)) != null) {
                all.addAll(b.entries());
            }
        }
        return all;
    }
}
