package org.dqlog.archive.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.dqlog.archive.IndexSchema;

/**
 * Reads pages of hits in {@link TimeOrder} with {@code searchAfter}, never holding more than a
 * page, and the neighbours of a record within its host (the context of {@code -A/-B/-C}). With
 * several indexes, a record present in more than one is returned once: copies of a record share
 * its ts, so they are adjacent in time order and only the ids of the current ts need remembering.
 *
 * <p>Not thread-safe.
 */
public final class HitReader {

    public static final Set<String> ALL_FIELDS = Set.of(IndexSchema.ID, IndexSchema.HOST_DIR, IndexSchema.LINE);
    private static final int FIRST_PAGE = 64;
    private static final int MAX_PAGE = 8192;

    private final IndexSet indexes;
    private final Set<String> fields;

    public HitReader(IndexSet indexes, Set<String> fields) {
        this.indexes = indexes;
        Set<String> f = new HashSet<>(fields);
        if (indexes.dedupeNeeded()) {
            f.add(IndexSchema.ID);
        }
        this.fields = Set.copyOf(f);
    }

    /** Every hit of {@code query} in {@code order}, page by page. */
    public Iterable<Hit> stream(Query query, TimeOrder order) {
        return stream(query, order.sort());
    }

    /**
     * Every hit of {@code query} in the order of {@code sort}, page by page. Copies of a record in
     * several indexes are dropped when they share the first sort value (true of ts, not of rts).
     */
    public Iterable<Hit> stream(Query query, Sort sort) {
        return () -> new HitIterator(query, sort);
    }

    /**
     * Up to {@code n} records of {@code hostDir} following {@code from} in {@code order}
     * (records whose id is {@code skipId} left out).
     */
    public List<Hit> neighbours(String hostDir, FieldDoc from, int n, TimeOrder order, String skipId)
            throws IOException {
        List<Hit> result = new ArrayList<>(n);
        if (n <= 0) {
            return result;
        }
        Query q = new TermQuery(new Term(IndexSchema.HOST_DIR, hostDir));
        Dedupe dedupe = new Dedupe();
        FieldDoc after = from;
        while (result.size() < n) {
            // with several indexes, copies of one record take several slots
            int want = (n - result.size()) * indexes.size() + 1;
            TopDocs page = indexes.searcher().searchAfter(after, q, want, order.sort(), false);
            for (ScoreDoc sd : page.scoreDocs) {
                Hit h = load((FieldDoc) sd);
                after = h.key();
                if ((skipId != null && skipId.equals(h.id())) || !dedupe.firstTime(h)) {
                    continue;
                }
                result.add(h);
                if (result.size() == n) {
                    break;
                }
            }
            if (page.scoreDocs.length < want) {
                break;
            }
        }
        return result;
    }

    Hit load(FieldDoc key) throws IOException {
        Document d = indexes.searcher().storedFields().document(key.doc, fields);
        return new Hit(key, d.get(IndexSchema.ID), d.get(IndexSchema.HOST_DIR), d.get(IndexSchema.LINE));
    }

    /** Ids of the current ts, when several indexes may hold the same record. */
    private final class Dedupe {
        private Object run;
        private final Set<String> ids = new HashSet<>();

        boolean firstTime(Hit h) {
            if (!indexes.dedupeNeeded()) {
                return true;
            }
            Object first = h.key().fields[0];
            if (!first.equals(run)) {
                run = first;
                ids.clear();
            }
            return h.id() == null || ids.add(h.id());
        }
    }

    private final class HitIterator implements java.util.Iterator<Hit> {
        private final Query query;
        private final Sort sort;
        private final Dedupe dedupe = new Dedupe();
        private ScoreDoc[] page = new ScoreDoc[0];
        private int next;
        private int pageSize = FIRST_PAGE;
        private FieldDoc after;
        private boolean exhausted;
        private Hit pending;

        HitIterator(Query query, Sort sort) {
            this.query = query;
            this.sort = sort;
        }

        @Override
        public boolean hasNext() {
            while (pending == null) {
                if (next == page.length) {
                    if (exhausted) {
                        return false;
                    }
                    fetch();
                    if (page.length == 0) {
                        return false;
                    }
                }
                FieldDoc key = (FieldDoc) page[next++];
                try {
                    Hit h = load(key);
                    if (dedupe.firstTime(h)) {
                        pending = h;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return true;
        }

        @Override
        public Hit next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Hit h = pending;
            pending = null;
            return h;
        }

        private void fetch() {
            try {
                IndexSearcher searcher = indexes.searcher();
                TopDocs top = searcher.searchAfter(after, query, pageSize, sort, false);
                page = top.scoreDocs;
                next = 0;
                exhausted = page.length < pageSize;
                if (page.length > 0) {
                    after = (FieldDoc) page[page.length - 1];
                }
                // small first pages answer -m and tail quickly; big later ones cut the per-page cost
                pageSize = Math.min(MAX_PAGE, pageSize * 4);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
