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
import org.dqlog.archive.IndexBackend;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.RecordQuery;
import org.dqlog.archive.search.RecordSearch;
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

    private final IndexBackend backend;
    private final RecordQuery query;
    private final LineMatcher matcher;
    private final LinePrinter printer;
    private final PrintWriter out;
    private final List<Path> dataDirs;
    private final Duration pollInterval;
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private long newestRts = Long.MIN_VALUE;

    public TailRun(IndexBackend backend, String userQuery, Filters filters, LineMatcher matcher, LinePrinter printer,
                   PrintWriter out, List<Path> dataDirs, Instant now, Duration pollInterval) {
        this.backend = backend;
        this.query = backend.query(userQuery, filters, now);
        this.matcher = matcher;
        this.printer = printer;
        this.out = out;
        this.dataDirs = dataDirs;
        this.pollInterval = pollInterval;
    }

    /** Prints the last {@code lines} records; with {@code follow}, new ones until interrupted. Returns how many were printed. */
    public long run(int lines, boolean follow) throws IOException {
        try (RecordSearch search = backend.openSearch(dataDirs)) {
            long printed = printLast(search, lines);
            out.flush();
            if (!follow) {
                return printed;
            }
            rememberRecent(search);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (search.refresh()) {
                    printed += printNew(search);
                    out.flush();
                }
            }
            return printed;
        }
    }

    private long printLast(RecordSearch search, int lines) {
        Deque<Hit> last = new ArrayDeque<>();
        if (lines > 0) {
            for (Hit h : search.find(query, TimeOrder.of(true))) {
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
    private void rememberRecent(RecordSearch search) throws IOException {
        newestRts = search.newestReceived(query);
        if (newestRts == Long.MIN_VALUE) {
            return;
        }
        for (Hit h : search.receivedSince(query, windowStart())) {
            remember(h);
        }
    }

    private long printNew(RecordSearch search) {
        long printed = 0;
        for (Hit h : search.receivedSince(query, windowStart())) {
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

    /** The receive time (microseconds) from which records may still be new. */
    private long windowStart() {
        return newestRts == Long.MIN_VALUE ? Long.MIN_VALUE : newestRts - DEFAULT_LATE_ARRIVAL.toNanos() / 1000;
    }

    private void remember(Hit h) {
        long rts = h.position().rts();
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
