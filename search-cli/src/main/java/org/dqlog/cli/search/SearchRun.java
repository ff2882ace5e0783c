package org.dqlog.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.dqlog.archive.IndexBackend;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.RecordQuery;
import org.dqlog.archive.search.RecordSearch;
import org.dqlog.archive.search.TimeOrder;

/**
 * Runs a search: finds the records of the query and filters in time order, page by page (so
 * memory does not grow with the result), keeps those whose line the {@code -e} patterns select,
 * and prints them, their count, or the hosts with counts. Counting without patterns asks the
 * index for counts.
 *
 * <p>Not thread-safe; one run per command.
 */
public final class SearchRun {

    private final SearchRequest request;
    private final IndexBackend backend;
    private final PrintWriter out;

    public SearchRun(SearchRequest request, IndexBackend backend, PrintWriter out) {
        this.request = request;
        this.backend = backend;
        this.out = out;
    }

    /** Runs the search; returns the number of matching records (capped by {@code -m}). */
    public long run(Instant now) throws IOException {
        RecordQuery query = backend.query(request.query(), request.filters(), now);
        LineMatcher matcher = request.hasPatterns()
                ? LineMatcher.of(request.patterns(), request.fixed(), request.ignoreCase(), request.invert())
                : null;
        try (RecordSearch search = backend.openSearch(request.dataDirs())) {
            return switch (request.output()) {
                case COUNT -> printCount(matcher == null ? capped(search.count(query))
                        : streamCount(search, query, matcher));
                case HOSTS -> printHosts(matcher == null ? search.countPerHost(query)
                        : streamHostCounts(search, query, matcher));
                case RECORDS -> printRecords(search, query, matcher);
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

    private long streamCount(RecordSearch search, RecordQuery query, LineMatcher matcher) {
        long n = 0;
        for (Hit h : search.find(query, TimeOrder.forward())) {
            if (matcher.selects(h.line())) {
                n++;
                if (request.maxCount() > 0 && n >= request.maxCount()) {
                    break;
                }
            }
        }
        return n;
    }

    private Map<String, Long> streamHostCounts(RecordSearch search, RecordQuery query, LineMatcher matcher) {
        Map<String, Long> counts = new TreeMap<>();
        for (Hit h : search.find(query, TimeOrder.forward())) {
            if (matcher.selects(h.line())) {
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

    private long printRecords(RecordSearch search, RecordQuery query, LineMatcher matcher) throws IOException {
        TimeOrder order = TimeOrder.of(request.newestFirst());
        LinePrinter printer = new LinePrinter(out, request.format(), request.color(), matcher);
        ContextPrinter context = request.hasContext()
                ? new ContextPrinter(search, printer, order, request.before(), request.after()) : null;
        long n = 0;
        for (Hit h : search.find(query, order)) {
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
