package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dqlog.core.spool.Entries.drain;
import static org.dqlog.core.spool.Entries.ids;
import static org.dqlog.core.spool.Entries.log;
import static org.dqlog.core.spool.Entries.panic;
import static org.dqlog.core.spool.Entries.peekIds;
import static org.dqlog.core.spool.Entries.range;
import static org.dqlog.core.spool.Entries.readAllUncommitted;
import static org.dqlog.core.spool.Entries.sized;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dqlog.core.Level;
import org.dqlog.core.Status;
import org.dqlog.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

    @TempDir
    Path dir;

    private final DropCounter drops = new DropCounter();

    private DiskSpool open(long spoolMaxBytes, long segmentMaxBytes) throws IOException {
        return DiskSpool.open(dir, spoolMaxBytes, segmentMaxBytes, drops, Status.SILENT);
    }

    @Test
    void replaysHighestClassFirstAndAppendOrderWithinEachClassAcrossSegments() throws IOException {
        // given segments of about three records, so every class spans several
        try (DiskSpool spool = open(1_000_000, 300)) {
            List<SpoolEntry> appended = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                appended.add(log(String.format("d%02d", i), i % 2 == 0 ? Level.DEBUG : Level.TRACE));
                appended.add(log(String.format("i%02d", i), Level.INFO));
                appended.add(log(String.format("e%02d", i), i % 2 == 0 ? Level.ERROR : Level.FATAL));
                appended.add(panic(String.format("p%02d", i)));
                appended.add(log(String.format("w%02d", i), Level.WARN));
            }
            spool.append(appended);

            // when
            List<SpoolEntry> read = readAllUncommitted(spool);

            // then
            List<String> expected = new ArrayList<>();
            Stream.of("p", "e", "w", "i", "d").forEach(prefix -> expected.addAll(range(prefix, 0, 10)));
            assertThat(ids(read)).containsExactlyElementsOf(expected);
            assertThat(read.get(0)).isEqualTo(panic("p00"));
            assertThat(read.get(10).level()).isEqualTo(Level.ERROR);
            assertThat(read.get(11).level()).isEqualTo(Level.FATAL);
            assertThat(segmentFiles()).hasSizeGreaterThan(LevelClass.COUNT * 2);
        }
    }

    @Test
    void reopenedSpoolReturnsEverythingNotCommittedAndNothingCommitted() throws IOException {
        // given ten records in segments of four, five committed (up to the middle of a segment),
        // three more read but not committed
        try (DiskSpool spool = open(1_000_000, 300)) {
            spool.append(range("i", 0, 10).stream().map(id -> log(id, Level.INFO)).collect(Collectors.toList()));
            SpoolBatch first = spool.readBatch(5, Long.MAX_VALUE);
            spool.commit(first);
            SpoolBatch inFlight = spool.readBatch(3, Long.MAX_VALUE);
            assertThat(ids(first.entries())).containsExactlyElementsOf(range("i", 0, 5));
            assertThat(ids(inFlight.entries())).containsExactlyElementsOf(range("i", 5, 8));
            assertThat(segmentFiles()).hasSize(2);
        }

        // when reopened (as by the next process)
        try (DiskSpool spool = open(1_000_000, 300)) {
            // then the read-but-unconfirmed records come again, the confirmed ones never
            assertThat(ids(drain(spool))).containsExactlyElementsOf(range("i", 5, 10));
            assertThat(spool.isEmpty()).isTrue();
        }

        // and once everything is committed, nothing is replayed and no segment is left
        try (DiskSpool spool = open(1_000_000, 300)) {
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.readBatch(10, Long.MAX_VALUE)).isNull();
            assertThat(spool.sizeBytes()).isZero();
            assertThat(segmentFiles()).isEmpty();
        }
    }

    @Test
    void rewindMakesUncommittedBatchesReadableAgainAndStaleCommitsChangeNothing() throws IOException {
        try (DiskSpool spool = open(1_000_000, 1_000)) {
            // given two batches read, only the first one confirmed
            spool.append(range("w", 0, 6).stream().map(id -> log(id, Level.WARN)).collect(Collectors.toList()));
            SpoolBatch first = spool.readBatch(2, Long.MAX_VALUE);
            SpoolBatch second = spool.readBatch(2, Long.MAX_VALUE);
            spool.commit(first);

            // when the sender fails over and resends from the last confirmation
            spool.rewind();
            SpoolBatch resent = spool.readBatch(2, Long.MAX_VALUE);
            spool.commit(resent);
            spool.commit(second);

            // then
            assertThat(ids(resent.entries())).containsExactlyElementsOf(ids(second.entries()));
            assertThat(ids(readAllUncommitted(spool))).containsExactlyElementsOf(range("w", 4, 6));
            spool.commit(first);
            spool.rewind();
            assertThat(peekIds(spool)).containsExactlyElementsOf(range("w", 4, 6));
        }
    }

    @Test
    void readBatchStopsAtTheByteBudgetButAlwaysReturnsOneEntry() throws IOException {
        try (DiskSpool spool = open(1_000_000, 100_000)) {
            // given records of about 100 bytes, then one of 1000
            spool.append(List.of(sized("i00", Level.INFO, false, 95), sized("i01", Level.INFO, false, 95),
                    sized("i02", Level.INFO, false, 95), sized("i03", Level.INFO, false, 1_000),
                    sized("i04", Level.INFO, false, 95)));

            // when read with a budget of 250 bytes
            List<List<String>> batches = new ArrayList<>();
            for (SpoolBatch batch = spool.readBatch(10, 250); batch != null; batch = spool.readBatch(10, 250)) {
                batches.add(ids(batch.entries()));
            }

            // then
            assertThat(batches).containsExactly(List.of("i00", "i01"), List.of("i02"), List.of("i03"), List.of("i04"));
        }
    }

    @Test
    void appendsAfterAReadAreReadNextAndTheActiveSegmentIsDeletedOnceFullyCommitted() throws IOException {
        try (DiskSpool spool = open(1_000_000, 100_000)) {
            // given
            spool.append(log("i00", Level.INFO));
            SpoolBatch first = spool.readBatch(10, Long.MAX_VALUE);
            spool.append(log("i01", Level.INFO));

            // when
            spool.commit(first);
            SpoolBatch second = spool.readBatch(10, Long.MAX_VALUE);

            // then
            assertThat(ids(second.entries())).containsExactly("i01");
            assertThat(segmentFiles()).hasSize(1);
            spool.commit(second);
            assertThat(segmentFiles()).isEmpty();
            spool.append(log("i02", Level.INFO));
            assertThat(ids(drain(spool))).containsExactly("i02");
        }
    }

    @Test
    void whenFullDropsOldestSegmentOfLowestClassAndNoPanicWhileALogRecordRemains() throws IOException {
        // given a spool of 20 equal records in segments of 4
        long record = RecordFormat.framedBytes(sized("d00", Level.DEBUG, false, 77));
        try (DiskSpool spool = open(20 * record, 4 * record)) {
            List<SpoolEntry> full = new ArrayList<>();
            range("d", 0, 8).forEach(id -> full.add(sized(id, Level.DEBUG, false, 77)));
            range("i", 0, 4).forEach(id -> full.add(sized(id, Level.INFO, false, 77)));
            range("e", 0, 4).forEach(id -> full.add(sized(id, Level.ERROR, false, 77)));
            range("p", 0, 4).forEach(id -> full.add(sized(id, Level.ERROR, true, 77)));
            assertThat(spool.append(full)).isEqualTo(20);
            assertThat(spool.sizeBytes()).isEqualTo(20 * record);

            // when four panics arrive, the oldest DEBUG segment makes room
            range("p", 4, 8).forEach(id -> appendOne(spool, sized(id, Level.ERROR, true, 77)));
            // then
            assertThat(peekIds(spool)).containsExactlyInAnyOrderElementsOf(concat(
                    range("d", 4, 8), range("i", 0, 4), range("e", 0, 4), range("p", 0, 8)));
            assertThat(drops.snapshot().count(Level.DEBUG)).isEqualTo(4);

            // when an INFO arrives it evicts the other DEBUG segment; three panics fill the spool again
            appendOne(spool, sized("i04", Level.INFO, false, 77));
            range("p", 8, 11).forEach(id -> appendOne(spool, sized(id, Level.ERROR, true, 77)));
            // and a DEBUG record finds only higher classes: it is the one dropped
            boolean debugStored = spool.append(sized("d08", Level.DEBUG, false, 77));
            // and a WARN evicts the oldest INFO segment
            appendOne(spool, sized("w00", Level.WARN, false, 77));
            // then
            assertThat(debugStored).isFalse();
            assertThat(peekIds(spool)).containsExactlyInAnyOrderElementsOf(concat(
                    List.of("i04", "w00"), range("e", 0, 4), range("p", 0, 11)));
            assertThat(drops.snapshot().count(Level.DEBUG)).isEqualTo(9);
            assertThat(drops.snapshot().count(Level.INFO)).isEqualTo(4);

            // when panics keep coming, every panic survives as long as any log record does
            List<String> panics = new ArrayList<>(range("p", 0, 11));
            for (int i = 11; i < 41; i++) {
                String id = String.format("p%02d", i);
                appendOne(spool, sized(id, Level.ERROR, true, 77));
                panics.add(id);
                List<String> left = peekIds(spool);
                if (left.stream().anyMatch(leftId -> !leftId.startsWith("p"))) {
                    assertThat(left).containsAll(panics);
                }
                assertThat(spool.sizeBytes()).isLessThanOrEqualTo(20 * record);
            }

            // then only the newest panics are left, and every drop was counted by level
            List<String> left = peekIds(spool);
            assertThat(left).allMatch(id -> id.startsWith("p"));
            assertThat(left).containsExactlyElementsOf(panics.subList(panics.size() - left.size(), panics.size()));
            DropCounter.Snapshot dropped = drops.snapshot();
            assertThat(dropped.count(Level.DEBUG)).isEqualTo(9);
            assertThat(dropped.count(Level.INFO)).isEqualTo(5);
            assertThat(dropped.count(Level.WARN)).isEqualTo(1);
            assertThat(dropped.panics()).isEqualTo(41 - left.size());
            assertThat(dropped.count(Level.ERROR)).isEqualTo(4 + dropped.panics());
        }
    }

    @Test
    void segmentFilesNeverExceedSpoolMaxBytesAndEveryEntryIsDeliveredOrCounted() throws IOException {
        // given a small spool fed with random records, read and committed now and then
        long spoolMaxBytes = 64 * 1024;
        Random random = new Random(7);
        Level[] levels = Level.values();
        int appended = 0;
        List<SpoolEntry> delivered = new ArrayList<>();
        try (DiskSpool spool = open(spoolMaxBytes, 4 * 1024)) {
            for (int round = 0; round < 300; round++) {
                List<SpoolEntry> batch = new ArrayList<>();
                for (int i = random.nextInt(8); i >= 0; i--) {
                    int bodyBytes = random.nextInt(10) == 0 ? 3_000 + random.nextInt(6_000) : random.nextInt(400);
                    batch.add(sized("r" + appended++, levels[random.nextInt(levels.length)], random.nextInt(20) == 0, bodyBytes));
                }
                spool.append(batch);

                // then, after every append
                long segmentBytes = sizeOf(segmentFiles());
                assertThat(segmentBytes).isLessThanOrEqualTo(spoolMaxBytes).isEqualTo(spool.sizeBytes());
                assertThat(sizeOf(allFiles())).isLessThanOrEqualTo(spoolMaxBytes + DiskSpool.DIRECTORY_OVERHEAD_BYTES);

                if (random.nextInt(4) == 0) {
                    SpoolBatch read = spool.readBatch(1 + random.nextInt(20), 16 * 1024);
                    if (read != null) {
                        delivered.addAll(read.entries());
                        spool.commit(read);
                    }
                }
            }
            delivered.addAll(drain(spool));
        }

        // then nothing vanished without being counted, and nothing came twice
        assertThat(delivered.size() + drops.snapshot().total()).isEqualTo(appended);
        assertThat(ids(delivered)).doesNotHaveDuplicates();
        assertThat(drops.snapshot().total()).isPositive();
    }

    @Test
    void keepsATenMegabyteEntryAcrossAReopenAndDropsOneLargerThanTheSpool() throws IOException {
        // given
        SpoolEntry huge = sized("huge", Level.ERROR, true, 10 * 1024 * 1024);
        try (DiskSpool spool = open(32L * 1024 * 1024, DiskSpool.defaultSegmentMaxBytes(32L * 1024 * 1024))) {
            spool.append(List.of(log("i00", Level.INFO), huge, log("i01", Level.INFO)));
        }

        // when
        List<SpoolBatch> batches = new ArrayList<>();
        try (DiskSpool spool = open(32L * 1024 * 1024, DiskSpool.defaultSegmentMaxBytes(32L * 1024 * 1024))) {
            for (SpoolBatch batch = spool.readBatch(10, 1024 * 1024); batch != null; batch = spool.readBatch(10, 1024 * 1024)) {
                batches.add(batch);
                spool.commit(batch);
            }
        }

        // then the huge panic comes alone, first, byte for byte
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).entries()).containsExactly(huge);
        assertThat(ids(batches.get(1).entries())).containsExactly("i00", "i01");

        // and a spool smaller than the entry drops and counts it
        try (DiskSpool small = DiskSpool.open(dir.resolve("small"), 1024 * 1024, drops, Status.SILENT)) {
            assertThat(small.append(huge)).isFalse();
            assertThat(small.isEmpty()).isTrue();
            assertThat(drops.snapshot().panics()).isEqualTo(1);
        }
    }

    @Test
    void aSecondInstanceInTheSameProcessIsRefusedAndTheFirstKeepsItsLock() throws IOException {
        try (DiskSpool first = open(1_000_000, 10_000)) {
            assertThatThrownBy(() -> open(1_000_000, 10_000))
                    .isInstanceOf(SpoolLockedException.class)
                    .hasMessageContaining("in use by another DiskSpool of this process");
            first.append(log("i00", Level.INFO));
        }
        try (DiskSpool again = open(1_000_000, 10_000)) {
            assertThat(ids(drain(again))).containsExactly("i00");
        }
    }

    @Test
    void aClosedSpoolRefusesWorkAndClosesOnlyOnce() throws IOException {
        DiskSpool spool = open(1_000_000, 10_000);
        spool.close();
        spool.close();
        assertThatThrownBy(() -> spool.append(log("i00", Level.INFO))).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aDamagedMarkerReplaysEverythingAndSaysSo() throws IOException {
        // given two records, the first one committed
        try (DiskSpool spool = open(1_000_000, 10_000)) {
            spool.append(List.of(log("i00", Level.INFO), log("i01", Level.INFO)));
            spool.commit(spool.readBatch(1, Long.MAX_VALUE));
        }
        // when the marker is damaged
        Files.write(dir.resolve("cursor"), new byte[] {1, 2, 3});
        RecordingStatus status = new RecordingStatus();
        try (DiskSpool spool = DiskSpool.open(dir, 1_000_000, 10_000, drops, status)) {
            // then nothing is lost: both come again (the collector removes the duplicate)
            assertThat(ids(drain(spool))).containsExactly("i00", "i01");
        }
        assertThat(status.warnings()).hasSize(1);
        assertThat(status.warnings().get(0)).contains("marker", "damaged");
    }

    private static void appendOne(DiskSpool spool, SpoolEntry entry) {
        try {
            assertThat(spool.append(entry)).as("stored %s", entry).isTrue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> concat(List<?>... lists) {
        List<String> all = new ArrayList<>();
        for (List<?> list : lists) {
            list.forEach(item -> all.add((String) item));
        }
        return all;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".seg")).collect(Collectors.toList());
        }
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toList());
        }
    }

    private static long sizeOf(List<Path> files) throws IOException {
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        return bytes;
    }
}
