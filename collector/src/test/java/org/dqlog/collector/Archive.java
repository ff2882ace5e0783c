package org.dqlog.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.StoredRecords;

/** Reads back what a collector stored in a data directory, as another process would. */
final class Archive {

    private final Path data;

    Archive(Path data) {
        this.data = data;
    }

    /** Every line of every file (plain and gzip), parsed. */
    List<StoredRecords.Stored> fileRecords() {
        return StoredRecords.fileRecords(data);
    }

    /** How often each id occurs in the files. */
    Map<String, Integer> idCountsInFiles() {
        return StoredRecords.idCountsInFiles(data);
    }

    /** How often each id occurs in the last committed index (what {@code dqlog search} sees). */
    Map<String, Integer> idCountsInIndex() {
        return StoredRecords.idCountsInIndex(data);
    }

    /** Committed documents matching {@code query}. */
    int indexCount(Query query) {
        return StoredRecords.indexCount(data, query);
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
