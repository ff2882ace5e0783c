package org.dqlog.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dqlog.archive.Records.T0;
import static org.dqlog.archive.Records.batch;
import static org.dqlog.archive.Records.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dqlog.archive.LogLayout.LogFile;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFileStoreTest {

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);

    private HostFileStore store(long maxFileBytes, int maxOpenFiles) throws IOException {
        return new HostFileStore(data, maxFileBytes, maxOpenFiles, clock, Status.SILENT);
    }

    private List<String> idsInFiles(String hostDir) throws Exception {
        List<String> ids = new ArrayList<>();
        for (LogFile f : LogLayout.files(LogLayout.logsDir(data), hostDir)) {
            try (LogFileReader r = LogFileReader.open(f.path(), 0)) {
                String line;
                while ((line = r.nextLine()) != null) {
                    ids.add(LogLine.parse(line).id());
                }
            }
        }
        return ids;
    }

    @Test
    void appendWritesOneLinePerRecordIntoEachHostsActiveFile() throws Exception {
        // given
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            // when
            List<String> lines = store.append(batch("r", 0, 10, "alpha", "Beta"));
            Map<String, FilePosition> positions = store.sync();

            // then
            assertThat(lines).hasSize(10);
            Path alpha = data.resolve("logs/alpha/alpha.log");
            assertThat(Files.readAllLines(alpha)).containsExactly(lines.get(0), lines.get(2), lines.get(4), lines.get(6), lines.get(8));
            assertThat(positions).containsOnlyKeys("alpha", "beta");
            assertThat(positions.get("alpha").offset()).isEqualTo(Files.size(alpha));
            assertThat(positions.get("alpha").fileKey()).isEqualTo(LogLayout.fileKey(alpha));
            assertThat(LogLine.parse(Files.readAllLines(data.resolve("logs/beta/beta.log")).get(0)).host()).isEqualTo("Beta");
        }
    }

    @Test
    void aFileIsRolledBeforeItPassesTheSizeLimitAndCompressedSafely() throws Exception {
        // given
        int lineBytes = (LogLine.format(record("r00", "h")) + "\n").getBytes(StandardCharsets.UTF_8).length;
        try (HostFileStore store = store(lineBytes * 3L, 8)) {
            // when
            store.append(batch("r", 10, 8, "h"));
            store.sync();
            List<Path> rolled = store.takeRolled();
            for (Path p : rolled) {
                store.compress(p);
            }

            // then
            assertThat(rolled).extracting(p -> p.getFileName().toString())
                    .containsExactly("h.2026-11-26.001.log", "h.2026-11-26.002.log");
            assertThat(LogLayout.files(LogLayout.logsDir(data), "h")).extracting(f -> f.path().getFileName().toString())
                    .containsExactly("h.2026-11-26.001.log.gz", "h.2026-11-26.002.log.gz", "h.log");
            for (LogFile f : LogLayout.files(LogLayout.logsDir(data), "h")) {
                assertThat(Files.size(f.path())).isLessThanOrEqualTo(f.compressed() ? lineBytes * 3L : lineBytes * 3L);
            }
            assertThat(idsInFiles("h")).containsExactly("r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17");
        }
    }

    @Test
    void aNewUtcDayStartsANewFileNamedAfterTheDayOfItsLines() throws Exception {
        // given
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            store.append(batch("a", 0, 3, "h"));

            // when
            clock.advance(Duration.ofDays(1));
            store.append(batch("b", 0, 2, "h"));
            clock.advance(Duration.ofDays(1));
            List<Path> overdue = store.rollOverdue();
            store.sync();

            // then
            assertThat(store.takeRolled()).extracting(p -> p.getFileName().toString())
                    .containsExactly("h.2026-11-26.001.log", "h.2026-11-27.001.log");
            assertThat(overdue).hasSize(1);
            assertThat(Files.exists(data.resolve("logs/h/h.log"))).isFalse();
            assertThat(idsInFiles("h")).containsExactly("a0", "a1", "a2", "b0", "b1");
        }
    }

    @Test
    void moreHostsThanOpenFilesStillGetEveryLine() throws Exception {
        // given
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 2)) {
            // when
            for (int round = 0; round < 3; round++) {
                store.append(batch("r" + round + "-", 0, 10, "h1", "h2", "h3", "h4", "h5"));
                store.sync();
            }
        }

        // then
        for (int h = 1; h <= 5; h++) {
            assertThat(idsInFiles("h" + h)).hasSize(6);
        }
        assertThat(idsInFiles("h1")).containsExactly("r0-0", "r0-5", "r1-0", "r1-5", "r2-0", "r2-5");
    }

    @Test
    void hostsAreForgottenOnceTheirDayIsRolledSoTheHostMapDoesNotGrowForEver() throws Exception {
        // given: 200 hosts wrote yesterday, with at most 8 files open
        String[] hosts = new String[200];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = "host-" + i;
        }
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            store.append(batch("y", 0, 400, hosts));
            store.sync();

            // when: the day changes, and one host writes today
            clock.advance(Duration.ofDays(1));
            store.rollOverdue();
            store.append(batch("t", 0, 1, "host-7"));
            store.sync();

            // then: only the host that wrote today is remembered, and every line is where it belongs
            assertThat(store.knownHosts()).isEqualTo(1);
            assertThat(idsInFiles("host-7")).containsExactly("y7", "y207", "t0");
        }
        // and a restart remembers only hosts with an active file
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            assertThat(store.knownHosts()).isEqualTo(1);
        }
    }

    @Test
    void anUnfinishedLastLineIsCutOnOpenSoAppendsDoNotGlueOntoIt() throws Exception {
        // given
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            store.append(List.of(record("whole", "h")));
        }
        Path active = data.resolve("logs/h/h.log");
        String torn = LogLine.format(record("torn", "h"));
        Files.writeString(active, torn.substring(0, torn.length() / 2), StandardOpenOption.APPEND);

        // when
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            store.append(List.of(record("next", "h")));
        }

        // then
        assertThat(idsInFiles("h")).containsExactly("whole", "next");
    }

    @Test
    void aCrashMidCompressionNeitherLosesNorDoublesLines() throws Exception {
        // given: one file compressed and renamed but its plain file not yet deleted, one mid-write
        int lineBytes = (LogLine.format(record("r0", "h")) + "\n").getBytes(StandardCharsets.UTF_8).length;
        List<Path> rolled;
        try (HostFileStore store = store(lineBytes * 2L, 8)) {
            store.append(batch("r", 0, 6, "h"));
            rolled = store.takeRolled();
        }
        Path first = rolled.get(0);
        Path firstPlainCopy = first.resolveSibling("copy");
        Files.copy(first, firstPlainCopy);
        try (HostFileStore store = store(lineBytes * 2L, 8)) {
            store.compress(first);
        }
        Files.move(firstPlainCopy, first);
        Files.writeString(rolled.get(1).resolveSibling(rolled.get(1).getFileName() + ".gz.tmp"), "half a gzip");

        // when
        List<Path> pending;
        try (HostFileStore store = store(lineBytes * 2L, 8)) {
            pending = store.takeRolled();
        }

        // then
        assertThat(pending).containsExactly(rolled.get(1));
        assertThat(LogLayout.files(LogLayout.logsDir(data), "h")).extracting(f -> f.path().getFileName().toString())
                .containsExactly("h.2026-11-26.001.log.gz", "h.2026-11-26.002.log", "h.log");
        assertThat(idsInFiles("h")).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
    }

    @Test
    void retentionChoosesCompressedFilesByAgeThenByTotalSize() throws Exception {
        // given: three days of compressed files and today's active file
        try (HostFileStore store = store(HostFileStore.DEFAULT_MAX_FILE_BYTES, 8)) {
            for (int day = 0; day < 3; day++) {
                store.append(batch("d" + day + "-", 0, 20, "h", "g"));
                clock.advance(Duration.ofDays(1));
                store.rollOverdue();
            }
            store.append(batch("today", 0, 2, "h"));
            store.sync();
            for (Path p : store.takeRolled()) {
                store.compress(p);
            }

            // when
            List<Path> byAge = store.expiredFiles(Duration.ofDays(2), 0);
            List<Path> bySize = store.expiredFiles(null, 1);
            List<Path> none = store.expiredFiles(Duration.ofDays(30), 0);

            // then: the 26th ended more than two days before now (29th 10:00); the 27th did not
            assertThat(byAge).extracting(p -> p.getFileName().toString())
                    .containsExactly("g.2026-11-26.001.log.gz", "h.2026-11-26.001.log.gz");
            assertThat(bySize).hasSize(6).allMatch(p -> p.toString().endsWith(".gz"));
            assertThat(none).isEmpty();
        }
    }
}
