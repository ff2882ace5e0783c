package org.dqlog.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.dqlog.archive.IndexSchema;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.HitReader;
import org.dqlog.archive.search.IndexSet;
import org.dqlog.archive.search.QueryFactory;
import org.dqlog.archive.search.TimeOrder;

/**
 * {@code dqlog tail}: the last N matching records in time order, then (follow) every new one as
 * the collector commits it. New means received (rts) after the newest seen, less
 * {@link #DEFAULT_LATE_ARRIVAL}: a collector's consumer threads may commit a record received a
 * little earlier after a later one, so that window is looked at again on every poll and records
 * already printed are skipped by id. Memory: the ids of that window, at most
 * {@link #MAX_REMEMBERED_IDS}.
 *
 * <p>Not thread-safe; one run per command. Stops when the thread is interrupted.
 */
public final class TailRun {

    /** How often the index is checked for new commits: 250 ms (the collector commits about every second). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    /** How far back in receive time each poll looks again for records committed late: 10 s. */
    public static final Duration DEFAULT_LATE_ARRIVAL = Duration.ofSeconds(10);
    /** Most ids remembered to skip records printed already: {@value}. */
    public static final int MAX_REMEMBERED_IDS = 200_000;

    private static final Sort ARRIVAL = new Sort(new SortField(IndexSchema.RTS, SortField.Type.LONG),
            new SortField(IndexSchema.TS, SortField.Type.LONG), SortField.FIELD_DOC);

    private final Query query;
    private final LineMatcher matcher;
    private final LinePrinter printer;
    private final PrintWriter out;
    private final List<Path> dataDirs;
    private final Duration pollInterval;
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private long newestRts = Long.MIN_VALUE;

    public TailRun(String userQuery, Filters filters, LineMatcher matcher, LinePrinter printer, PrintWriter out,
                   List<Path> dataDirs, Instant now, Duration pollInterval) {
        this.query = QueryFactory.build(userQuery, filters, now);
        this.matcher = matcher;
        this.printer = printer;
        this.out = out;
        this.dataDirs = dataDirs;
        this.pollInterval = pollInterval;
    }

    /** Prints the last {@code lines} records; with {@code follow}, new ones until interrupted. Returns how many were printed. */
    public long run(int lines, boolean follow) throws IOException {
        try (IndexSet indexes = IndexSet.open(dataDirs)) {
            HitReader reader = new HitReader(indexes, HitReader.ALL_FIELDS);
            long printed = printLast(reader, lines);
            out.flush();
            if (!follow) {
                return printed;
            }
            rememberRecent(indexes, reader);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (indexes.refresh()) {
                    printed += printNew(new HitReader(indexes, HitReader.ALL_FIELDS));
                    out.flush();
                }
            }
            return printed;
        }
    }

    private long printLast(HitReader reader, int lines) {
        Deque<Hit> last = new ArrayDeque<>();
        if (lines > 0) {
            for (Hit h : reader.stream(query, TimeOrder.of(true))) {
                if (selected(h)) {
                    last.addFirst(h);
                    if (last.size() == lines) {
                        break;
                    }
                }
            }
        }
        last.forEach(printer::print);
        return last.size();
    }

    /** The records of the last window (printed or not): they are not new. */
    private void rememberRecent(IndexSet indexes, HitReader reader) throws IOException {
        TopDocs newest = indexes.searcher().search(query, 1,
                new Sort(new SortField(IndexSchema.RTS, SortField.Type.LONG, true)), false);
        if (newest.scoreDocs.length == 0) {
            return;
        }
        newestRts = (Long) ((FieldDoc) newest.scoreDocs[0]).fields[0];
        for (Hit h : reader.stream(window(), ARRIVAL)) {
            remember(h);
        }
    }

    private long printNew(HitReader reader) {
        long printed = 0;
        for (Hit h : reader.stream(window(), ARRIVAL)) {
            if (h.id() == null || seen.containsKey(h.id())) {
                continue;
            }
            remember(h);
            if (selected(h)) {
                printer.print(h);
                printed++;
            }
        }
        forgetOld();
        return printed;
    }

    private Query window() {
        long floor = newestRts == Long.MIN_VALUE ? Long.MIN_VALUE : newestRts - DEFAULT_LATE_ARRIVAL.toNanos() / 1000;
        return new BooleanQuery.Builder().add(query, Occur.MUST)
                .add(LongPoint.newRangeQuery(IndexSchema.RTS, floor, Long.MAX_VALUE), Occur.FILTER).build();
    }

    private void remember(Hit h) {
        long rts = (Long) h.key().fields[0];
        newestRts = Math.max(newestRts, rts);
        if (h.id() != null) {
            seen.put(h.id(), rts);
        }
    }

    private void forgetOld() {
        long floor = newestRts - DEFAULT_LATE_ARRIVAL.toNanos() / 1000;
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() < floor || seen.size() > MAX_REMEMBERED_IDS) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private boolean selected(Hit h) {
        return matcher == null || matcher.selects(h.line());
    }
}
