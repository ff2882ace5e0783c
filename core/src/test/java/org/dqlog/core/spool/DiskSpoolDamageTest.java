package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dqlog.core.spool.Entries.ids;
import static org.dqlog.core.spool.Entries.readAllUncommitted;
import static org.dqlog.core.spool.Entries.sized;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dqlog.core.Level;
import org.dqlog.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn tails, flipped bits and garbage: every intact record is kept, each damage reported once. */
class DiskSpoolDamageTest {

    private static final int RECORDS = 20;
    private static final long SPOOL_MAX_BYTES = 1_000_000;
    private static final long SEGMENT_MAX_BYTES = 500_000;

    @TempDir
    Path tempDir;

    private final DropCounter drops = new DropCounter();

    @Test
    void aFileCutAtRandomBytesKeepsEveryCompleteRecordBeforeTheCutAndReportsTheTornOneOnce() throws IOException {
        Random random = new Random(20_240_611);
        for (int trial = 0; trial < 12; trial++) {
            // given a spool of twenty records, cut mid-header, mid-body or exactly between records
            Path dir = tempDir.resolve("trial-" + trial);
            List<SpoolEntry> written = writeRecords(dir, random);
            long[] starts = startsOf(written);
            int cutRecord = random.nextInt(RECORDS);
            long recordBytes = RecordFormat.framedBytes(written.get(cutRecord));
            String where;
            long cut;
            if (trial % 3 == 0) {
                where = "mid-header";
                cut = starts[cutRecord] + 1 + random.nextInt(RecordFormat.HEADER_BYTES - 1);
            } else if (trial % 3 == 1) {
                where = "mid-body";
                cut = starts[cutRecord] + RecordFormat.HEADER_BYTES + random.nextInt((int) recordBytes - RecordFormat.HEADER_BYTES);
            } else {
                where = "between records";
                cut = starts[cutRecord];
            }
            truncate(onlySegment(dir), cut);
            String description = "trial " + trial + ", cut " + where + " of record " + cutRecord + " at byte " + cut;

            // when the spool is opened and read
            RecordingStatus status = new RecordingStatus();
            try (DiskSpool spool = DiskSpool.open(dir, SPOOL_MAX_BYTES, SEGMENT_MAX_BYTES, drops, status)) {
                List<SpoolEntry> recovered = readAllUncommitted(spool);
                spool.rewind();
                readAllUncommitted(spool);
                spool.append(sized("after", Level.INFO, false, 30));

                // then every record before the cut is back, byte for byte
                assertThat(recovered).as(description).containsExactlyElementsOf(written.subList(0, cutRecord));
                if (trial % 3 == 2) {
                    assertThat(status.warnings()).as(description).isEmpty();
                } else {
                    assertThat(status.warnings()).as(description).hasSize(1);
                    assertThat(status.warnings().get(0)).as(description).contains("incomplete record", "1 damaged record");
                    assertThat(spool.damagedRecords()).isEqualTo(1);
                }
            }

            // and the torn record was cut off: a later open reports nothing and appends follow on
            RecordingStatus later = new RecordingStatus();
            try (DiskSpool spool = DiskSpool.open(dir, SPOOL_MAX_BYTES, SEGMENT_MAX_BYTES, drops, later)) {
                List<String> expected = new ArrayList<>(ids(written.subList(0, cutRecord)));
                expected.add("after");
                assertThat(ids(readAllUncommitted(spool))).as(description).containsExactlyElementsOf(expected);
            }
            assertThat(later.warnings()).as(description).isEmpty();
        }
    }

    @Test
    void aFlippedBitInABodyFailsTheChecksumAndOnlyThatRecordIsSkippedAndReportedOnce() throws IOException {
        // given
        Path dir = tempDir.resolve("body");
        List<SpoolEntry> written = writeRecords(dir, new Random(3));
        long[] starts = startsOf(written);
        SpoolEntry damaged = written.get(2);
        flipBit(onlySegment(dir), starts[2] + RecordFormat.HEADER_BYTES + 2 + damaged.idUtf8().length + 5);

        // when read twice (a rewind, as after a failover)
        RecordingStatus status = new RecordingStatus();
        try (DiskSpool spool = DiskSpool.open(dir, SPOOL_MAX_BYTES, SEGMENT_MAX_BYTES, drops, status)) {
            List<SpoolEntry> first = readAllUncommitted(spool);
            spool.rewind();
            List<SpoolEntry> second = readAllUncommitted(spool);

            // then
            List<SpoolEntry> intact = new ArrayList<>(written);
            intact.remove(2);
            assertThat(first).containsExactlyElementsOf(intact);
            assertThat(second).containsExactlyElementsOf(intact);
            assertThat(spool.damagedRecords()).isEqualTo(1);
        }
        assertThat(status.warnings()).hasSize(1);
        assertThat(status.warnings().get(0)).contains("failed its checksum", "at byte " + starts[2]);
    }

    @Test
    void aFlippedBitInAHeaderSkipsToTheNextIntactRecordAndIsReportedOnce() throws IOException {
        // given the length field of the third record damaged
        Path dir = tempDir.resolve("header");
        List<SpoolEntry> written = writeRecords(dir, new Random(4));
        long[] starts = startsOf(written);
        flipBit(onlySegment(dir), starts[2] + 6);

        // when
        RecordingStatus status = new RecordingStatus();
        List<SpoolEntry> recovered;
        try (DiskSpool spool = DiskSpool.open(dir, SPOOL_MAX_BYTES, SEGMENT_MAX_BYTES, drops, status)) {
            recovered = readAllUncommitted(spool);
        }

        // then
        List<SpoolEntry> intact = new ArrayList<>(written);
        intact.remove(2);
        assertThat(recovered).containsExactlyElementsOf(intact);
        assertThat(status.warnings()).hasSize(1);
        assertThat(status.warnings().get(0)).contains("without an intact record header", "at byte " + starts[2]);
    }

    @Test
    void zerosAfterTheLastRecordAreATornTailNotARecord() throws IOException {
        // given the zero-filled tail a file system may leave after a machine crash
        Path dir = tempDir.resolve("zeros");
        List<SpoolEntry> written = writeRecords(dir, new Random(5));
        Files.write(onlySegment(dir), new byte[4096], StandardOpenOption.APPEND);

        // when
        RecordingStatus status = new RecordingStatus();
        try (DiskSpool spool = DiskSpool.open(dir, SPOOL_MAX_BYTES, SEGMENT_MAX_BYTES, drops, status)) {
            // then
            assertThat(readAllUncommitted(spool)).containsExactlyElementsOf(written);
        }
        assertThat(status.warnings()).hasSize(1);
        assertThat(status.warnings().get(0)).contains("incomplete record", "4096 bytes");
    }

    private List<SpoolEntry> writeRecords(Path dir, Random random) throws IOException {
        List<SpoolEntry> entries = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            entries.add(sized(String.format("r%02d", i), Level.WARN, false, 10 + random.nextInt(200)));
        }
        try (DiskSpool spool = DiskSpool.open(dir, SPOOL_MAX_BYTES, SEGMENT_MAX_BYTES, drops, new RecordingStatus())) {
            assertThat(spool.append(entries)).isEqualTo(RECORDS);
        }
        return entries;
    }

    private static long[] startsOf(List<SpoolEntry> entries) {
        long[] starts = new long[entries.size()];
        long position = 0;
        for (int i = 0; i < starts.length; i++) {
            starts[i] = position;
            position += RecordFormat.framedBytes(entries.get(i));
        }
        return starts;
    }

    private static Path onlySegment(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments = files.filter(file -> file.toString().endsWith(".seg")).collect(Collectors.toList());
            assertThat(segments).hasSize(1);
            return segments.get(0);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipBit(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            channel.write(one, position);
        }
    }
}
