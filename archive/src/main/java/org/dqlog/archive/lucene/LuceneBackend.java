package org.dqlog.archive.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dqlog.archive.IndexBackend;
import org.dqlog.archive.LogLayout;
import org.dqlog.archive.RecordIndex;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.lucene.LuceneSearch;
import org.dqlog.archive.lucene.QueryFactory;
import org.dqlog.archive.search.RecordQuery;
import org.dqlog.archive.search.RecordSearch;

/** The local Lucene index under {@code <data>/index}: {@link LogIndex} writes it, {@link LuceneSearch} reads it. */
public final class LuceneBackend implements IndexBackend {

    /** The one instance: it holds nothing. */
    public static final LuceneBackend INSTANCE = new LuceneBackend();

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
