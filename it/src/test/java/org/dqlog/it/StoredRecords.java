package org.dqlog.it;

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
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.dqlog.collector.store.IndexSchema;
import org.dqlog.collector.store.LogFileReader;
import org.dqlog.collector.store.LogLayout;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;

/**
 * What a collector stored in its data directory, read as another process would: record ids counted
 * in the per-host files (every line of every file) and in the committed index (every live
 * document), so a test can say "exactly once in both" where {@code dqlog search}, which removes
 * duplicates by id, could not tell.
 */
final class StoredRecords {

    private StoredRecords() {
    }

    /** How often each id occurs in the per-host files. */
    static Map<String, Integer> idCountsInFiles(Path data) {
        Map<String, Integer> counts = new HashMap<>();
        recordLinesInFiles(data).forEach(r -> counts.merge(r.id(), 1, Integer::sum));
        return counts;
    }

    /** The stored records by id (the last line of each id). */
    static Map<String, LogRecord> recordsInFiles(Path data) {
        Map<String, LogRecord> byId = new HashMap<>();
        recordLinesInFiles(data).forEach(r -> byId.put(r.id(), r));
        return byId;
    }

    /** Every line of every per-host file as a record, duplicates included. */
    static List<LogRecord> recordLinesInFiles(Path data) {
        List<LogRecord> records = new ArrayList<>();
        Path logs = LogLayout.logsDir(data);
        if (!Files.isDirectory(logs)) {
            return records;
        }
        try {
            for (LogLayout.LogFile f : LogLayout.allFiles(logs)) {
                try (LogFileReader reader = LogFileReader.open(f.path(), 0)) {
                    String line;
                    while ((line = reader.nextLine()) != null) {
                        records.add(LogLine.parse(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedRecordException e) {
            throw new AssertionError("a damaged line in " + data, e);
        }
        return records;
    }

    /** How often each id occurs in the last committed index. */
    static Map<String, Integer> idCountsInIndex(Path data) {
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
}
