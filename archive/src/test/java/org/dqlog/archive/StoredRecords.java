package org.dqlog.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;

/**
 * What a collector stored in its data directory, read as another process would: the records of
 * the per-host files (every line of every file) and record ids counted in the files and in the
 * committed local index (every live document), so a test can say "exactly once in both" where
 * {@code dqlog search}, which removes duplicates by id, could not tell. For the tests of the
 * collector and the end-to-end tests (this module's test jar).
 */
public final class StoredRecords {

    /** A record as read from a file line, with the host directory it was found in. */
    public record Stored(String hostDir, LogRecord record) { }

    private StoredRecords() {
    }

    /** Every line of every file (plain and gzip), parsed. */
    public static List<Stored> fileRecords(Path data) {
        List<Stored> out = new ArrayList<>();
        Path logs = LogLayout.logsDir(data);
        if (!Files.isDirectory(logs)) {
            return out;
        }
        try {
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

    /** How often each id occurs in the per-host files. */
    public static Map<String, Integer> idCountsInFiles(Path data) {
        Map<String, Integer> counts = new HashMap<>();
        for (Stored s : fileRecords(data)) {
            counts.merge(s.record().id(), 1, Integer::sum);
        }
        return counts;
    }

    /** The stored records by id (the last line of each id). */
    public static Map<String, LogRecord> recordsInFiles(Path data) {
        Map<String, LogRecord> byId = new HashMap<>();
        for (Stored s : fileRecords(data)) {
            byId.put(s.record().id(), s.record());
        }
        return byId;
    }

    /** How often each id occurs in the last committed index (what {@code dqlog search} sees). */
    public static Map<String, Integer> idCountsInIndex(Path data) {
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
    public static int indexCount(Path data, Query query) {
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(LogLayout.indexDir(data)))) {
            return new IndexSearcher(reader).count(query);
        } catch (IndexNotFoundException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
