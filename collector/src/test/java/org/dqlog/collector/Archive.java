package org.dqlog.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.dqlog.archive.IndexSchema;
import org.dqlog.archive.LogFileReader;
import org.dqlog.archive.LogLayout;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;

/** Reads back what a collector stored in a data directory, as another process would. */
final class Archive {

    private final Path data;

    Archive(Path data) {
        this.data = data;
    }

    /** A record as read from a file line, with the host directory it was found in. */
    record Stored(String hostDir, LogRecord record) { }

    /** Every line of every file (plain and gzip), parsed. */
    List<Stored> fileRecords() {
        List<Stored> out = new ArrayList<>();
        try {
            Path logs = LogLayout.logsDir(data);
            if (!Files.isDirectory(logs)) {
                return out;
            }
            for (LogLayout.LogFile f : LogLayout.allFiles(logs)) {
                String hostDir = logs.relativize(f.path()).getName(0).toString();
                try (LogFileReader reader = LogFileReader.open(f.path(), 0)) {
                    String line;
                    while ((line = reader.nextLine()) != null) {
                        out.add(new Stored(hostDir, LogLine.parse(line)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedRecordException e) {
            throw new AssertionError("a damaged line in " + data, e);
        }
        return out;
    }

    /** How often each id occurs in the files. */
    Map<String, Integer> idCountsInFiles() {
        Map<String, Integer> counts = new HashMap<>();
        for (Stored s : fileRecords()) {
            counts.merge(s.record().id(), 1, Integer::sum);
        }
        return counts;
    }

    /** How often each id occurs in the last committed index (what {@code dqlog search} sees). */
    Map<String, Integer> idCountsInIndex() {
        Map<String, Integer> counts = new HashMap<>();
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(LogLayout.indexDir(data)))) {
            for (LeafReaderContext leaf : reader.leaves()) {
                StoredFields fields = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        counts.merge(fields.document(doc).get(IndexSchema.ID), 1, Integer::sum);
                    }
                }
            }
        } catch (IndexNotFoundException e) {
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    /** Committed documents matching {@code query}. */
    int indexCount(Query query) {
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(LogLayout.indexDir(data)))) {
            return new IndexSearcher(reader).count(query);
        } catch (IndexNotFoundException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Committed documents whose host (as sent) is {@code host}. */
    int indexCountByHost(String host) {
        return indexCount(new TermQuery(new Term(IndexSchema.HOST, IndexSchema.keywordValue(host))));
    }

    /** The dead-letter lines, parsed. */
    List<Map<String, Object>> deadLetters() {
        Path dir = data.resolve("deadletter");
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(Json.object(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
