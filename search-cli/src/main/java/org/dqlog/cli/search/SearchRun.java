package org.dqlog.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.dqlog.archive.IndexSchema;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.HitReader;
import org.dqlog.archive.search.IndexSet;
import org.dqlog.archive.search.QueryFactory;
import org.dqlog.archive.search.TimeOrder;

/**
 * Runs a search: finds the records of the query and filters in time order, page by page (so
 * memory does not grow with the result), keeps those whose line the {@code -e} patterns select,
 * and prints them, their count, or the hosts with counts. Counting without patterns over one
 * index asks Lucene for counts and loads no record.
 *
 * <p>Not thread-safe; one run per command.
 */
public final class SearchRun {

    private final SearchRequest request;
    private final PrintWriter out;

    public SearchRun(SearchRequest request, PrintWriter out) {
        this.request = request;
        this.out = out;
    }

    /** Runs the search; returns the number of matching records (capped by {@code -m}). */
    public long run(Instant now) throws IOException {
        Query query = QueryFactory.build(request.query(), request.filters(), now);
        LineMatcher matcher = request.hasPatterns()
                ? LineMatcher.of(request.patterns(), request.fixed(), request.ignoreCase(), request.invert())
                : null;
        try (IndexSet indexes = IndexSet.open(request.dataDirs())) {
            boolean countsFromIndex = matcher == null && !indexes.dedupeNeeded();
            return switch (request.output()) {
                case COUNT -> printCount(countsFromIndex ? indexCount(indexes.searcher(), query)
                        : streamCount(indexes, query, matcher));
                case HOSTS -> printHosts(countsFromIndex ? indexHostCounts(indexes.searcher(), query)
                        : streamHostCounts(indexes, query, matcher));
                case RECORDS -> printRecords(indexes, query, matcher);
            };
        }
    }

    private long capped(long n) {
        return request.maxCount() > 0 ? Math.min(n, request.maxCount()) : n;
    }

    private long printCount(long n) {
        out.println(n);
        return n;
    }

    private long indexCount(IndexSearcher searcher, Query query) throws IOException {
        return capped(searcher.count(query));
    }

    private long streamCount(IndexSet indexes, Query query, LineMatcher matcher) {
        HitReader reader = new HitReader(indexes, matcher == null ? Set.of(IndexSchema.ID) : Set.of(IndexSchema.LINE));
        long n = 0;
        for (Hit h : reader.stream(query, TimeOrder.forward())) {
            if (matcher == null || matcher.selects(h.line())) {
                n++;
                if (request.maxCount() > 0 && n >= request.maxCount()) {
                    break;
                }
            }
        }
        return n;
    }

    /** Per host directory: one count query each (hosts are few, records many). */
    private Map<String, Long> indexHostCounts(IndexSearcher searcher, Query query) throws IOException {
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

    private Map<String, Long> streamHostCounts(IndexSet indexes, Query query, LineMatcher matcher) {
        HitReader reader = new HitReader(indexes, matcher == null ? Set.of(IndexSchema.HOST_DIR)
                : Set.of(IndexSchema.HOST_DIR, IndexSchema.LINE));
        Map<String, Long> counts = new TreeMap<>();
        for (Hit h : reader.stream(query, TimeOrder.forward())) {
            if (matcher == null || matcher.selects(h.line())) {
                counts.merge(h.hostDir(), 1L, Long::sum);
            }
        }
        return counts;
    }

    private long printHosts(Map<String, Long> counts) {
        long total = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            out.print(e.getKey() + "\t" + e.getValue() + "\n");
            total += e.getValue();
        }
        return total;
    }

    private long printRecords(IndexSet indexes, Query query, LineMatcher matcher) throws IOException {
        HitReader reader = new HitReader(indexes, HitReader.ALL_FIELDS);
        TimeOrder order = TimeOrder.of(request.newestFirst());
        LinePrinter printer = new LinePrinter(out, request.format(), request.color(), matcher);
        ContextPrinter context = request.hasContext()
                ? new ContextPrinter(reader, printer, order, request.before(), request.after()) : null;
        long n = 0;
        for (Hit h : reader.stream(query, order)) {
            if (matcher != null && !matcher.selects(h.line())) {
                continue;
            }
            n++;
            if (context != null) {
                context.onMatch(h);
            } else {
                printer.print(h);
            }
            if ((request.maxCount() > 0 && n >= request.maxCount()) || printer.outputClosed()) {
                break;
            }
        }
        if (context != null) {
            context.finish();
        }
        return n;
    }
}
