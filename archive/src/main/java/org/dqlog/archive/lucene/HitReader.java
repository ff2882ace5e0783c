package org.dqlog.archive.lucene;

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
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.Position;
import org.dqlog.archive.search.TimeOrder;

/**
 * Reads pages of Lucene hits in {@link TimeOrder} with {@code searchAfter}, never holding more than a
 * page, and the neighbours of a record within its host (the context of {@code -A/-B/-C}). With
 * several indexes, a record present in more than one is returned once: copies of a record share
 * its ts, so they are adjacent in time order and only the ids of the current ts need remembering.
 *
 * <p>Not thread-safe.
 */
final class HitReader {

    static final Set<String> ALL_FIELDS = Set.of(IndexSchema.ID, IndexSchema.HOST_DIR, IndexSchema.LINE);
    /** The order records were received in: rts, then ts, then the document (tail -f). */
    static final Sort ARRIVAL = new Sort(new SortField(IndexSchema.RTS, SortField.Type.LONG),
            new SortField(IndexSchema.TS, SortField.Type.LONG), SortField.FIELD_DOC);
    private static final Sort OLDEST_FIRST = timeSort(false);
    private static final Sort NEWEST_FIRST = timeSort(true);
    private static final int FIRST_PAGE = 64;
    private static final int MAX_PAGE = 8192;

    private final IndexSet indexes;
    private final Set<String> fields;

    HitReader(IndexSet indexes, Set<String> fields) {
        this.indexes = indexes;
        Set<String> f = new HashSet<>(fields);
        if (indexes.dedupeNeeded()) {
            f.add(IndexSchema.ID);
        }
        this.fields = Set.copyOf(f);
    }

    /** Every hit of {@code query} in {@code order}, page by page. */
    Iterable<Hit> stream(Query query, TimeOrder order) {
        return () -> new HitIterator(query, sortOf(order), false);
    }

    /**
     * Every hit of {@code query} in {@link #ARRIVAL} order, page by page. Copies of a record in
     * several indexes are dropped when they share the first sort value (true of ts, not of rts).
     */
    Iterable<Hit> streamByArrival(Query query) {
        return () -> new HitIterator(query, ARRIVAL, true);
    }

    static Sort sortOf(TimeOrder order) {
        return order.newestFirst() ? NEWEST_FIRST : OLDEST_FIRST;
    }

    /**
     * Up to {@code n} records of {@code hostDir} following {@code from} in {@code order}
     * (records whose id is {@code skipId} left out).
     */
    List<Hit> neighbours(String hostDir, Position from, int n, TimeOrder order, String skipId)
            throws IOException {
        List<Hit> result = new ArrayList<>(n);
        if (n <= 0) {
            return result;
        }
        Query q = new TermQuery(new Term(IndexSchema.HOST_DIR, hostDir));
        Dedupe dedupe = new Dedupe();
        FieldDoc after = new FieldDoc((int) from.tieBreak(), Float.NaN,
                new Object[] {from.ts(), from.rts(), (int) from.tieBreak()});
        while (result.size() < n) {
            // with several indexes, copies of one record take several slots
            int want = (n - result.size()) * indexes.size() + 1;
            TopDocs page = indexes.searcher().searchAfter(after, q, want, sortOf(order), false);
            for (ScoreDoc sd : page.scoreDocs) {
                after = (FieldDoc) sd;
                Hit h = load(after, false);
                if ((skipId != null && skipId.equals(h.id())) || !dedupe.firstTime(after, h)) {
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

    /** The hit of {@code key}, found in time order or (arrival) in {@link #ARRIVAL} order. */
    private Hit load(FieldDoc key, boolean arrival) throws IOException {
        Document d = indexes.searcher().storedFields().document(key.doc, fields);
        long first = (Long) key.fields[0];
        long second = (Long) key.fields[1];
        Position p = arrival ? new Position(second, first, key.doc) : new Position(first, second, key.doc);
        return new Hit(p, d.get(IndexSchema.ID), d.get(IndexSchema.HOST_DIR), d.get(IndexSchema.LINE));
    }

    private static Sort timeSort(boolean newestFirst) {
        return new Sort(timeField(IndexSchema.TS, newestFirst), timeField(IndexSchema.RTS, newestFirst),
                new SortField(null, SortField.Type.DOC, newestFirst));
    }

    private static SortField timeField(String name, boolean reverse) {
        SortField f = new SortField(name, SortField.Type.LONG, reverse);
        // a record without a time (never written by the collector, but possible in an old index) sorts first
        f.setMissingValue(Long.MIN_VALUE);
        return f;
    }

    /** Ids of the current ts, when several indexes may hold the same record. */
    private final class Dedupe {
        private Object run;
        private final Set<String> ids = new HashSet<>();

        boolean firstTime(FieldDoc key, Hit h) {
            if (!indexes.dedupeNeeded()) {
                return true;
            }
            Object first = key.fields[0];
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
        private final boolean arrival;
        private final Dedupe dedupe = new Dedupe();
        private ScoreDoc[] page = new ScoreDoc[0];
        private int next;
        private int pageSize = FIRST_PAGE;
        private FieldDoc after;
        private boolean exhausted;
        private Hit pending;

        HitIterator(Query query, Sort sort, boolean arrival) {
            this.query = query;
            this.sort = sort;
            this.arrival = arrival;
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
                    Hit h = load(key, arrival);
                    if (dedupe.firstTime(key, h)) {
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
