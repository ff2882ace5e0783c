package org.dqlog.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dqlog.archive.Records.T0;
import static org.dqlog.archive.Records.batch;
import static org.dqlog.archive.Records.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.dqlog.archive.LogLayout.LogFile;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.lucene.LogIndex;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveStoreTest {

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);

    private StorageSettings settings() {
        return StorageSettings.defaults(data).withMaintenanceInterval(Duration.ofHours(1));
    }

    private ArchiveStore open(StorageSettings settings) throws IOException {
        return ArchiveStore.open(settings, clock, Status.SILENT);
    }

    /** Every record id in every file, plain and compressed, in file order. */
    private List<String> idsInFiles() throws Exception {
        List<String> ids = new ArrayList<>();
        for (LogFile f : LogLayout.allFiles(LogLayout.logsDir(data))) {
            try (LogFileReader r = LogFileReader.open(f.path(), 0)) {
                String line;
                while ((line = r.nextLine()) != null) {
                    ids.add(LogLine.parse(line).id());
                }
            }
        }
        return ids;
    }

    /** The store's index as what it is here, the local Lucene index, for counts by query. */
    private static LogIndex luceneIndex(ArchiveStore store) {
        return (LogIndex) store.index();
    }

    /** Documents in the last commit, as the separate {@code dqlog search} process sees them. */
    private int committedDocs() throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(LogLayout.indexDir(data)))) {
            return new IndexSearcher(reader).count(new MatchAllDocsQuery());
        }
    }

    private static int docs(ArchiveStore store) throws IOException {
        luceneIndex(store).refresh();
        return luceneIndex(store).count(new MatchAllDocsQuery());
    }

    @Test
    void aRecordIsArchivedOncePerIdWhicheverCopyComesFirst() throws Exception {
        try (ArchiveStore store = open(settings())) {
            // given
            LogRecord logCopy = record("app-1:7", "h");
            LogRecord panicCopy = logCopy.toBuilder().panic(true).build();

            // when
            Set<String> first = store.archive(List.of(logCopy, record("app-1:8", "h"), panicCopy));
            Set<String> again = store.archive(List.of(panicCopy, record("app-1:9", "h")));
            store.commit();

            // then
            assertThat(first).containsExactly("app-1:7", "app-1:8");
            assertThat(again).containsExactly("app-1:9");
            assertThat(store.duplicates()).isEqualTo(2);
            assertThat(idsInFiles()).containsExactly("app-1:7", "app-1:8", "app-1:9");
            assertThat(committedDocs()).isEqualTo(3);
        }
    }

    @Test
    void theReceiveTimeIsStoredAndARecordWithoutIdGetsAStableOne() throws Exception {
        try (ArchiveStore store = open(settings())) {
            // given
            LogRecord noId = record(null, "h").toBuilder().rts(null).build();

            // when
            Set<String> first = store.archive(List.of(noId));
            clock.advance(Duration.ofSeconds(5));
            Set<String> redelivered = store.archive(List.of(noId));

            // then
            assertThat(first).singleElement().asString().startsWith("sha256:");
            assertThat(redelivered).isEmpty();
            LogRecord stored = LogLine.parse(Files.readAllLines(data.resolve("logs/h/h.log")).get(0));
            assertThat(stored.rts()).isEqualTo(T0);
            assertThat(stored.id()).isEqualTo(first.iterator().next());
        }
    }

    @Test
    void commitIfDueMakesRecordsVisibleToAnotherProcessOncePerInterval() throws Exception {
        try (ArchiveStore store = open(settings())) {
            // given
            store.archive(batch("r", 0, 5, "h"));
            int before = committedDocs();

            // when
            boolean tooEarly = store.commitIfDue();
            clock.advance(StorageSettings.DEFAULT_COMMIT_INTERVAL);
            boolean due = store.commitIfDue();

            // then
            assertThat(before).isZero();
            assertThat(tooEarly).isFalse();
            assertThat(due).isTrue();
            assertThat(committedDocs()).isEqualTo(5);
        }
    }

    @Test
    void aCrashBeforeTheIndexCommitLeavesEveryLineIndexedExactlyOnceAfterRestart() throws Exception {
        // given: archived (so acknowledged) records, the index never committed, files rolled meanwhile
        int lineBytes = LogLine.format(record("r000", "h")).getBytes(StandardCharsets.UTF_8).length + 1;
        StorageSettings small = settings().withMaxFileBytes(lineBytes * 7L);
        ArchiveStore crashed = open(small);
        crashed.archive(batch("r", 100, 50, "h", "g"));
        crashed.simulateCrash();

        // when
        try (ArchiveStore store = open(small)) {
            // then
            assertThat(store.recovery().recordsIndexed()).isEqualTo(50);
            assertThat(docs(store)).isEqualTo(50);
            assertThat(committedDocs()).isEqualTo(50);
            assertThat(store.archive(batch("r", 100, 50, "h", "g"))).as("redelivered after the crash").isEmpty();
            assertThat(store.archive(batch("r", 150, 10, "h", "g"))).hasSize(10);
            store.commit();
            assertThat(docs(store)).isEqualTo(60);
        }
        assertThat(idsInFiles()).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void aCrashAfterTheCommitIndexesOnlyTheLinesWrittenSince() throws Exception {
        // given: committed records, then more records written (and rolled) but not committed
        int lineBytes = LogLine.format(record("r000", "h")).getBytes(StandardCharsets.UTF_8).length + 1;
        StorageSettings small = settings().withMaxFileBytes(lineBytes * 5L);
        ArchiveStore crashed = open(small);
        crashed.archive(batch("r", 100, 30, "h", "g"));
        crashed.commit();
        crashed.maintainNow();
        crashed.archive(batch("r", 130, 12, "h", "g"));
        crashed.simulateCrash();

        // when
        try (ArchiveStore store = open(small)) {
            // then
            assertThat(store.recovery().recordsIndexed()).isEqualTo(12);
            assertThat(docs(store)).isEqualTo(42);
            for (int i = 100; i < 142; i++) {
                assertThat(luceneIndex(store).count(new TermQuery(new Term(IndexSchema.ID, "r" + i)))).isEqualTo(1);
            }
        }
        assertThat(idsInFiles()).hasSize(42).doesNotHaveDuplicates();
    }

    @Test
    void recoveryIsNotFooledByAnInodeReusedForTheHostsNextFile() throws Exception {
        // given: 30 records of host h committed with the position (inode, end of file)
        try (ArchiveStore store = open(settings())) {
            store.archive(batch("old", 0, 30, "h"));
        }
        // when: the host's next file gets the same inode (rolled, compressed and deleted, its inode
        // reused: here made certain by writing the new file into the same inode), holding lines
        // the index lacks, as after a crash before the next commit
        Path active = LogLayout.activeFile(LogLayout.logsDir(data), "h");
        StringBuilder next = new StringBuilder();
        for (LogRecord r : batch("new", 0, 40, "h")) {
            next.append(LogLine.format(r)).append('\n');
        }
        Files.writeString(active, next, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);

        // then: recovery reads the new file whole and indexes every one of its records
        try (ArchiveStore store = open(settings())) {
            assertThat(store.recovery().recordsIndexed()).isEqualTo(40);
            for (int i = 0; i < 40; i++) {
                assertThat(luceneIndex(store).count(new TermQuery(new Term(IndexSchema.ID, "new" + i)))).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailedFsyncIsNeverRetriedNothingOfItsBatchIsTakenAsStoredAndTheNextStartRecovers() throws Exception {
        // given: a store whose next fsync fails (as a disk's write-back error reports itself, once)
        java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean();
        Fsync failing = channel -> {
            if (failNext.getAndSet(false)) {
                throw new IOException("Input/output error");
            }
            channel.force(false);
        };
        ArchiveStore store = ArchiveStore.open(settings(), clock, Status.SILENT, failing);
        store.archive(batch("good", 0, 10, "h"));
        failNext.set(true);
        List<LogRecord> doomed = batch("doomed", 0, 10, "h");

        // when: the batch's fsync fails, and the pipeline tries the batch again
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> store.archive(doomed));
        Throwable retry = org.assertj.core.api.Assertions.catchThrowable(() -> store.archive(doomed));

        // then: both fail (a second fsync would succeed for pages the kernel may have dropped), so
        // nothing of the batch can be acknowledged, and the store commits nothing more
        assertThat(first).isInstanceOf(UnrecoverableStoreException.class).hasMessageContaining("fsync");
        assertThat(retry).isInstanceOf(IOException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(store::commit)).isInstanceOf(IOException.class);
        store.close();

        // and the next start recovers from the files: every line there is indexed once
        try (ArchiveStore again = open(settings())) {
            assertThat(docs(again)).isEqualTo(idsInFiles().size());
            assertThat(idsInFiles()).doesNotHaveDuplicates().contains("good0", "good9");
            Set<String> redelivered = again.archive(doomed);
            assertThat(docs(again)).isEqualTo(20);
            assertThat(idsInFiles()).hasSize(20).doesNotHaveDuplicates();
            assertThat(redelivered.size() + again.recovery().recordsIndexed()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void everyRedeliveryAfterACrashIsADuplicateThoughNewIdsSkipTheIndexLookup() throws Exception {
        // given: records written, not committed, the process crashed
        ArchiveStore crashed = open(settings());
        crashed.archive(batch("c", 0, 50, "h", "g"));
        crashed.simulateCrash();

        // when: the brokers redeliver them, in another order, with new ones among them
        try (ArchiveStore store = open(settings())) {
            List<LogRecord> again = new ArrayList<>(batch("c", 0, 60, "h", "g"));
            java.util.Collections.reverse(again);
            Set<String> fresh = store.archive(again);

            // then: only the new ones are archived (the id filter, filled from the recovered index, says maybe to the old)
            assertThat(fresh).hasSize(10).allMatch(id -> Integer.parseInt(id.substring(1)) >= 50);
            assertThat(store.archive(batch("c", 0, 60, "h", "g"))).isEmpty();
        }
        assertThat(idsInFiles()).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void aRestartAfterACleanCloseIndexesNothingAgain() throws Exception {
        // given
        try (ArchiveStore store = open(settings())) {
            store.archive(batch("r", 0, 20, "h", "g"));
        }

        // when
        try (ArchiveStore store = open(settings())) {
            // then
            assertThat(store.recovery().linesRead()).isZero();
            assertThat(store.recovery().recordsIndexed()).isZero();
            assertThat(docs(store)).isEqualTo(20);
        }
    }

    @Test
    void aLostIndexIsRebuiltFromTheFilesOnOpen() throws Exception {
        // given
        try (ArchiveStore store = open(settings().withMaxFileBytes(2000))) {
            store.archive(batch("r", 0, 40, "h", "g"));
            store.commit();
            store.maintainNow();
        }
        deleteRecursively(LogLayout.indexDir(data));

        // when
        try (ArchiveStore store = open(settings())) {
            // then
            assertThat(store.recovery().fullReindex()).isTrue();
            assertThat(docs(store)).isEqualTo(40);
        }
    }

    @Test
    void hostileHostNamesLandInsideTheLogsDirectoryAndStaySearchableByHost() throws Exception {
        // given
        List<String> hosts = List.of("../../etc", "/", "", "C:\\Windows", "x".repeat(10_000), "h\u0000st", "\u4e3b\u673a");
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            records.add(record("bad-" + i, hosts.get(i)));
        }
        records.add(record("no-host", null));

        // when
        try (ArchiveStore store = open(settings())) {
            store.archive(records);
            store.commit();

            // then
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                Term term = new Term(IndexSchema.HOST, IndexSchema.keywordValue(host));
                assertThat(luceneIndex(store).count(new TermQuery(term))).as(host).isEqualTo(1);
            }
        }
        try (Stream<Path> all = Files.walk(data)) {
            assertThat(all.filter(Files::isRegularFile))
                    .allMatch(p -> p.startsWith(data.resolve("logs")) || p.startsWith(data.resolve("index")));
        }
        assertThat(LogLayout.hostDirs(LogLayout.logsDir(data))).as("empty and missing hosts share _unknown-host").hasSize(7)
                .allMatch(d -> d.equals("_unknown-host") || d.startsWith("_invalid-"));
        assertThat(idsInFiles()).hasSize(8);
    }

    @Test
    void retentionByAgeDeletesOldFilesAndTheirRecordsFromTheIndex() throws Exception {
        // given: records on three days, all rolled and compressed
        try (ArchiveStore store = open(settings().withMaxAge(Duration.ofDays(2)))) {
            store.archive(batch("day0-", 0, 10, "h", "g"));
            clock.advance(Duration.ofDays(1));
            store.archive(batch("day1-", 0, 10, "h", "g"));
            clock.advance(Duration.ofDays(1));
            store.commit();
            store.maintainNow();
            assertThat(docs(store)).isEqualTo(20);

            // when: the 26th is now more than two days ago
            clock.advance(Duration.ofDays(1));
            store.maintainNow();

            // then
            assertThat(docs(store)).isEqualTo(10);
            assertThat(store.index().contains("day0-1")).isFalse();
            assertThat(store.index().contains("day1-1")).isTrue();
            assertThat(idsInFiles()).hasSize(10).allMatch(id -> id.startsWith("day1-"));
        }
        assertThat(committedDocs()).isEqualTo(10);
    }

    @Test
    void retentionByTotalSizeDeletesTheOldestFilesAndTheirRecords() throws Exception {
        // given
        long total;
        try (ArchiveStore store = open(settings().withMaxFileBytes(3000).withMaxAge(null))) {
            store.archive(batch("r", 100, 100, "h"));
            store.commit();
            store.maintainNow();
        }
        try (Stream<Path> files = Files.walk(LogLayout.logsDir(data))) {
            total = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }

        // when
        try (ArchiveStore limited = open(settings().withMaxFileBytes(3000).withMaxAge(null).withMaxTotalBytes(total / 2))) {
            limited.maintainNow();

            // then
            List<String> left = idsInFiles();
            assertThat(left).isNotEmpty().hasSizeLessThan(100).endsWith("r199");
            assertThat(docs(limited)).isEqualTo(left.size());
            assertThat(limited.index().contains("r100")).isFalse();
        }
    }

    @Test
    void twentyThousandRecordsAreArchivedAndIndexedOnceEach() throws Exception {
        // given
        String[] hosts = new String[20];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = "pc-tier0-" + i;
        }
        try (ArchiveStore store = open(settings().withMaxFileBytes(512 * 1024).withMaxOpenFiles(8))) {
            // when
            int archived = 0;
            for (int from = 0; from < 20_000; from += 2000) {
                archived += store.archive(batch("r", from, 2000, hosts)).size();
                store.commitIfDue();
            }
            int redelivered = store.archive(batch("r", 19_000, 1000, hosts)).size();
            store.commit();
            store.maintainNow();

            // then
            assertThat(archived).isEqualTo(20_000);
            assertThat(redelivered).isZero();
            assertThat(docs(store)).isEqualTo(20_000);
            assertThat(luceneIndex(store).count(new TermQuery(new Term(IndexSchema.HOST, "pc-tier0-7")))).isEqualTo(1000);
        }
        assertThat(committedDocs()).isEqualTo(20_000);
        assertThat(idsInFiles()).hasSize(20_000).doesNotHaveDuplicates();
    }

    @Test
    void reindexRebuildsTheIndexFromPlainAndCompressedFilesReportingProgress() throws Exception {
        // given
        try (ArchiveStore store = open(settings().withMaxFileBytes(8000))) {
            store.archive(batch("r", 0, 300, "h", "g", "f"));
            store.commit();
            store.maintainNow();
            store.archive(batch("s", 0, 5, "h"));
        }
        assertThat(Files.list(data.resolve("logs/h")).anyMatch(p -> p.toString().endsWith(".gz"))).isTrue();
        List<long[]> updates = new ArrayList<>();

        // when
        Reindexer.Result result = IndexBackend.local().rebuild(data, (records, done, total) -> updates.add(new long[] {records, done, total}),
                Status.SILENT);

        // then
        assertThat(result.records()).isEqualTo(305);
        assertThat(result.damagedLines()).isZero();
        assertThat(committedDocs()).isEqualTo(305);
        long[] last = updates.get(updates.size() - 1);
        assertThat(last[0]).isEqualTo(305);
        assertThat(last[1]).isEqualTo(last[2]).isPositive();
        for (int i = 1; i < updates.size(); i++) {
            assertThat(updates.get(i)[1]).isGreaterThanOrEqualTo(updates.get(i - 1)[1]);
        }
        try (ArchiveStore store = open(settings())) {
            assertThat(store.recovery().recordsIndexed()).as("reindex recorded the file positions").isZero();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
