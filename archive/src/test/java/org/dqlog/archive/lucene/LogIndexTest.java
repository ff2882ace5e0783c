package org.dqlog.archive.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dqlog.archive.Records.T0;
import static org.dqlog.archive.Records.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.dqlog.archive.FilePosition;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogIndexTest {

    @TempDir
    Path dir;

    private static void add(LogIndex index, LogRecord r) throws Exception {
        index.add(r, LogLine.format(r));
    }

    private static Query parse(String query) throws Exception {
        return new QueryParser(IndexSchema.MESSAGE, IndexSchema.queryAnalyzer()).parse(query);
    }

    @Test
    void queriesOnEveryFieldFindTheRecord() throws Exception {
        // given
        LogRecord r = record("id-1", "PC-Tier0-07").toBuilder().level(Level.ERROR).logger("org.dq.Checker")
                .thread("worker-3").putMdc("run", "456789").message("Histogram check failed for run 456789")
                .exception(new ExceptionInfo("java.io.IOException", "No space left",
                        "java.io.IOException: No space left\n\tat org.dq.Writer.flush(Writer.java:42)\n"))
                .build();
        try (LogIndex index = LogIndex.open(dir)) {
            add(index, r);
            add(index, record("id-2", "other").toBuilder().level(Level.DEBUG).build());
            index.commit();

            // when / then
            for (String q : List.of("host:pc-tier0-*", "host:PC-TIER0-07", "app:WebDisplay AND histogram", "level:error",
                    "logger:org.dq.checker", "thread:worker-3", "mdc.run:456789", "histogram AND failed",
                    "exception:space", "exception:Writer.java", "exception_class:java.io.ioexception", "pid:4242 AND histogram",
                    "id:id-1", "host_dir:pc-tier0-07", "panic:false AND histogram", "type:log AND histogram")) {
                assertThat(index.count(parse(q))).as(q).isEqualTo(1);
            }
            assertThat(index.count(IntPoint.newRangeQuery(IndexSchema.LEVEL_NUM, Level.WARN.ordinal(), Integer.MAX_VALUE)))
                    .isEqualTo(1);
            long t0 = IndexSchema.micros(T0);
            assertThat(index.count(LongPoint.newRangeQuery(IndexSchema.TS, t0, t0))).isEqualTo(2);
            assertThat(index.count(LongPoint.newRangeQuery(IndexSchema.TS, t0 + 1, Long.MAX_VALUE))).isZero();
        }
    }

    @Test
    void aCommittedRecordIsVisibleToAnotherReaderWithItsExactLineAndSortableByTime() throws Exception {
        // given
        LogRecord early = record("early", "h").toBuilder().ts(T0.minusSeconds(5)).build();
        LogRecord late = record("late", "h");
        try (LogIndex index = LogIndex.open(dir)) {
            add(index, late);
            add(index, early);

            // when
            index.commit();

            // then
            try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
                IndexSearcher searcher = new IndexSearcher(reader);
                TopDocs top = searcher.search(new MatchAllDocsQuery(), 10,
                        new Sort(new SortField(IndexSchema.TS, SortField.Type.LONG)));
                List<String> lines = java.util.Arrays.stream(top.scoreDocs).map(sd -> line(searcher, sd)).toList();
                assertThat(lines).containsExactly(LogLine.format(early), LogLine.format(late));
                assertThat(searcher.storedFields().document(top.scoreDocs[0].doc).getField(IndexSchema.TS).numericValue())
                        .isEqualTo(IndexSchema.micros(early.ts()));
            }
        }
    }

    private static String line(IndexSearcher searcher, ScoreDoc sd) {
        try {
            return searcher.storedFields().document(sd.doc).get(IndexSchema.LINE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRecordAddedTwiceIsOneDocumentAndContainsSeesItBeforeTheCommit() throws Exception {
        try (LogIndex index = LogIndex.open(dir)) {
            // given
            add(index, record("dup", "h"));
            assertThat(index.contains("dup")).isTrue();
            assertThat(index.contains("other")).isFalse();

            // when
            add(index, record("dup", "h"));
            index.commit();

            // then
            assertThat(index.count(new MatchAllDocsQuery())).isEqualTo(1);
            assertThat(index.contains("dup")).isTrue();
        }
    }

    @Test
    void theCommitCarriesTheFilePositionsItCovers() throws Exception {
        // given
        LogIndex index = LogIndex.open(dir);
        add(index, record("a", "h"));
        index.recordPositions(Map.of("h", new FilePosition("h", "(dev=1,ino=2)", 1234)));
        index.commit();
        index.recordPositions(Map.of("h", new FilePosition("h", "(dev=1,ino=2)", 9999)));
        index.closeWithoutCommit();

        // when
        try (LogIndex reopened = LogIndex.open(dir)) {
            // then
            assertThat(reopened.committedPositions()).containsExactly(
                    Map.entry("h", new FilePosition("h", "(dev=1,ino=2)", 1234)));
            assertThat(reopened.lastCommit()).isNotNull();
        }
    }

    @Test
    void deleteOlderThanRemovesRecordsReceivedBeforeTheCutoff() throws Exception {
        try (LogIndex index = LogIndex.open(dir)) {
            // given
            add(index, record("old", "h").toBuilder().rts(T0.minus(Duration.ofDays(10))).build());
            add(index, record("new", "h"));

            // when
            index.deleteOlderThan(T0.minus(Duration.ofDays(1)));
            index.commit();

            // then
            assertThat(index.contains("old")).isFalse();
            assertThat(index.contains("new")).isTrue();
        }
    }

    @Test
    void hugeKeywordValuesAreCutInsteadOfFailingTheBatch() throws Exception {
        try (LogIndex index = LogIndex.open(dir)) {
            // given
            LogRecord r = record("big", "h").toBuilder().thread("t".repeat(100_000)).putMdc("k", "\u4e3b".repeat(20_000)).build();

            // when
            add(index, r);
            index.commit();

            // then
            assertThat(index.contains("big")).isTrue();
        }
    }

    @Test
    void aSecondWriterOnTheSameIndexIsRefusedWithAClearMessage() throws Exception {
        LogIndex first = LogIndex.open(dir);
        try {
            assertThatThrownBy(() -> LogIndex.open(dir)).hasMessageContaining("in use by another process");
        } finally {
            first.close();
        }
    }
}
