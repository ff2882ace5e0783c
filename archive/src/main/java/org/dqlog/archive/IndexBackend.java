package org.dqlog.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dqlog.archive.lucene.LuceneBackend;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.search.RecordQuery;
import org.dqlog.archive.search.RecordSearch;
import org.dqlog.archive.search.SearchException;
import org.dqlog.core.Status;

/**
 * Where the records of the per-host files are indexed for search: the one seam between the
 * storage format (files, layout, rotation, recovery: backend-independent) and the index. The
 * collector writes through {@link #openIndex}; {@code dqlog search}, {@code tail} and
 * {@code reindex} read and rebuild through the rest, without knowing which backend is behind it.
 *
 * <p>The first implementation is the local Lucene index under {@code <data>/index}
 * ({@link #local()}). Implementations are stateless factories, so thread-safe.
 */
public interface IndexBackend {

    /** The local Lucene index in each data directory. */
    static IndexBackend local() {
        return LuceneBackend.INSTANCE;
    }

    /**
     * Opens (or creates) the index of {@code dataDir} for writing; one writer per data directory.
     *
     * @throws IOException also when another process (a running collector) holds it
     */
    RecordIndex openIndex(Path dataDir) throws IOException;

    /**
     * Prepares a search: {@code text} in the query syntax of {@code dqlog search} (null or blank:
     * every record) with the filters; relative times count back from {@code now}.
     *
     * @throws SearchException for a bad query or time, before any index is opened
     */
    RecordQuery query(String text, Filters filters, Instant now);

    /**
     * Opens the committed index of each data directory read-only, searched as one.
     *
     * @throws SearchException when a directory has no index or it cannot be read
     */
    RecordSearch openSearch(List<Path> dataDirs);

    /**
     * Replaces the index of {@code dataDir} by the records of its per-host files, in one final commit.
     *
     * @throws IOException also when the index is in use by a collector
     */
    default Reindexer.Result rebuild(Path dataDir, Reindexer.Progress progress, Status status) throws IOException {
        try (RecordIndex index = openIndex(dataDir)) {
            return Reindexer.rebuild(index, LogLayout.logsDir(dataDir), progress, status);
        }
    }
}
