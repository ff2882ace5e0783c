package org.dqlog.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.search.LuceneSearch;
import org.dqlog.archive.search.QueryFactory;
import org.dqlog.archive.search.RecordQuery;
import org.dqlog.archive.search.RecordSearch;

/** The local Lucene index under {@code <data>/index}: {@link LogIndex} writes it, {@link LuceneSearch} reads it. */
final class LuceneBackend implements IndexBackend {

    static final LuceneBackend INSTANCE = new LuceneBackend();

    private LuceneBackend() { }

    @Override
    public RecordIndex openIndex(Path dataDir) throws IOException {
        return LogIndex.open(LogLayout.indexDir(dataDir));
    }

    @Override
    public RecordQuery query(String text, Filters filters, Instant now) {
        return new LuceneSearch.LuceneQuery(QueryFactory.build(text, filters, now));
    }

    @Override
    public RecordSearch openSearch(List<Path> dataDirs) {
        return LuceneSearch.open(dataDirs);
    }
}
