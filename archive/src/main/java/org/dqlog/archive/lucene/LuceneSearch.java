package org.dqlog.archive.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.Position;
import org.dqlog.archive.search.RecordQuery;
import org.dqlog.archive.search.RecordSearch;
import org.dqlog.archive.search.TimeOrder;

/**
 * {@link RecordSearch} over the local Lucene indexes of one or more data directories
 * ({@link IndexSet}, read page by page by {@link HitReader}). Counting over one index asks Lucene
 * for counts and loads no record; over several, records are streamed so that copies count once.
 *
 * <p>Not thread-safe; one command's thread owns it.
 */
public final class LuceneSearch implements RecordSearch {

    /** A query built by {@link QueryFactory}. */
    public record LuceneQuery(Query query) implements RecordQuery { }

    private final IndexSet indexes;
    private HitReader reader;

    private LuceneSearch(IndexSet indexes) {
        this.indexes = indexes;
        this.reader = new HitReader(indexes, HitReader.ALL_FIELDS);
    }

    /**
     * Opens the index of each data directory.
     *
     * @throws SearchException when a directory has no index or it cannot be read
     */
    public static LuceneSearch open(List<Path> dataDirs) {
        return new LuceneSearch(IndexSet.open(dataDirs));
    }

    @Override
    public Iterable<Hit> find(RecordQuery query, TimeOrder order) {
        return reader.stream(lucene(query), order);
    }

    @Override
    public long count(RecordQuery query) throws IOException {
        if (!indexes.dedupeNeeded()) {
            return indexes.searcher().count(lucene(query));
        }
        HitReader ids = new HitReader(indexes, Set.of(IndexSchema.ID));
        long n = 0;
        for (Hit ignored : ids.stream(lucene(query), TimeOrder.forward())) {
            n++;
        }
        return n;
    }

    @Override
    public Map<String, Long> countPerHost(RecordQuery query) throws IOException {
        return indexes.dedupeNeeded() ? streamHostCounts(lucene(query)) : indexHostCounts(lucene(query));
    }

    /** Per host directory: one count query each (hosts are few, records many). */
    private Map<String, Long> indexHostCounts(Query query) throws IOException {
        IndexSearcher searcher = indexes.searcher();
        Map<String, Long> counts = new TreeMap<>();
        Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), IndexSchema.HOST_DIR);
        if (terms == null) {
            return counts;
        }
        TermsEnum te = terms.iterator();
        BytesRef term;
        while ((term = te.next()) != null) {
            String host = term.utf8ToString();
            Query perHost = new BooleanQuery.Builder().add(query, Occur.MUST)
                    .add(new TermQuery(new Term(IndexSchema.HOST_DIR, host)), Occur.FILTER).build();
            long n = searcher.count(perHost);
            if (n > 0) {
                counts.put(host, n);
            }
        }
        return counts;
    }

    private Map<String, Long> streamHostCounts(Query query) {
        HitReader hosts = new HitReader(indexes, Set.of(IndexSchema.HOST_DIR));
        Map<String, Long> counts = new TreeMap<>();
        for (Hit h : hosts.stream(query, TimeOrder.forward())) {
            counts.merge(h.hostDir(), 1L, Long::sum);
        }
        return counts;
    }

    @Override
    public List<Hit> neighbours(String hostDir, Position from, String skipId, int n, TimeOrder order)
            throws IOException {
        return reader.neighbours(hostDir, from, n, order, skipId);
    }

    @Override
    public long newestReceived(RecordQuery query) throws IOException {
        TopDocs newest = indexes.searcher().search(lucene(query), 1,
                new Sort(new SortField(IndexSchema.RTS, SortField.Type.LONG, true)), false);
        return newest.scoreDocs.length == 0 ? Long.MIN_VALUE : (Long) ((FieldDoc) newest.scoreDocs[0]).fields[0];
    }

    @Override
    public Iterable<Hit> receivedSince(RecordQuery query, long rtsMicros) {
        Query window = new BooleanQuery.Builder().add(lucene(query), Occur.MUST)
                .add(LongPoint.newRangeQuery(IndexSchema.RTS, rtsMicros, Long.MAX_VALUE), Occur.FILTER).build();
        return reader.streamByArrival(window);
    }

    @Override
    public boolean refresh() throws IOException {
        boolean changed = indexes.refresh();
        if (changed) {
            reader = new HitReader(indexes, HitReader.ALL_FIELDS);
        }
        return changed;
    }

    @Override
    public void close() {
        indexes.close();
    }

    private static Query lucene(RecordQuery query) {
        if (query instanceof LuceneQuery q) {
            return q.query();
        }
        throw new IllegalArgumentException("not a query of the Lucene backend: " + query);
    }
}
