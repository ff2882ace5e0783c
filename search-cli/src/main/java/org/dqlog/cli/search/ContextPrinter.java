package org.dqlog.cli.search;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dqlog.archive.search.Hit;
import org.dqlog.archive.search.Position;
import org.dqlog.archive.search.RecordSearch;
import org.dqlog.archive.search.TimeOrder;

/**
 * grep's {@code -B}/{@code -A} over records: each match is printed with its neighbours of the same
 * host (the records around it in that host's time order, whatever the filters), and groups that do
 * not touch are separated by {@code --}. Matches come in time order across hosts; a group stays
 * open while the next matches are of its host and close enough to join it, and is closed (its
 * after-context printed) when a match of another host comes. No record is printed twice: per
 * host, the last record printed is remembered (memory grows with the number of hosts only).
 *
 * <p>Not thread-safe.
 */
public final class ContextPrinter {

    private final RecordSearch search;
    private final LinePrinter printer;
    private final TimeOrder order;
    private final int before;
    private final int after;
    private final Map<String, Position> lastPrinted = new HashMap<>();
    private boolean anyPrinted;
    private Group group;

    /** The open group: its host, its last record printed, and how many after-context records are due. */
    private static final class Group {
        final String hostDir;
        Position last;
        String lastId;
        int afterDue;
        boolean started;

        Group(String hostDir) {
            this.hostDir = hostDir;
        }
    }

    public ContextPrinter(RecordSearch search, LinePrinter printer, TimeOrder order, int before, int after) {
        this.search = search;
        this.printer = printer;
        this.order = order;
        this.before = before;
        this.after = after;
    }

    public void onMatch(Hit m) throws IOException {
        if (group != null && group.hostDir.equals(m.hostDir())) {
            if (order.compare(m.position(), group.last) <= 0) {
                // already printed as after-context of this group: its own after-context extends the group
                group.afterDue = Math.max(group.afterDue, after - printedAfter(m, group.last));
                return;
            }
            int reach = group.afterDue + before;
            List<Hit> gap = search.neighbours(m.hostDir(), group.last, group.lastId, reach + 1, order);
            int between = indexOf(gap, m);
            if (between >= 0 && between <= reach) {
                for (int i = 0; i < between; i++) {
                    print(gap.get(i));
                }
                print(m);
                group.afterDue = after;
                return;
            }
            for (int i = 0; i < Math.min(group.afterDue, gap.size()); i++) {
                print(gap.get(i));
            }
            group.afterDue = 0;
        }
        closeGroup();
        open(m);
    }

    /** Prints the after-context of the last group. */
    public void finish() throws IOException {
        closeGroup();
    }

    private void open(Hit m) throws IOException {
        group = new Group(m.hostDir());
        Position printedBefore = lastPrinted.get(m.hostDir());
        if (printedBefore != null && order.compare(m.position(), printedBefore) <= 0) {
            // printed already, as after-context of an earlier group of this host: go on from there
            group.last = printedBefore;
            group.afterDue = Math.max(0, after - printedAfter(m, printedBefore));
            return;
        }
        List<Hit> previous = search.neighbours(m.hostDir(), m.position(), m.id(), before, order.reversed());
        for (int i = previous.size() - 1; i >= 0; i--) {
            Hit h = previous.get(i);
            if (printedBefore == null || order.compare(h.position(), printedBefore) > 0) {
                print(h);
            }
        }
        print(m);
        group.afterDue = after;
    }

    private void closeGroup() throws IOException {
        if (group == null) {
            return;
        }
        if (group.afterDue > 0 && group.last != null) {
            for (Hit h : search.neighbours(group.hostDir, group.last, group.lastId, group.afterDue, order)) {
                print(h);
            }
        }
        if (group.last != null) {
            lastPrinted.put(group.hostDir, group.last);
        }
        group = null;
    }

    /** How many records after {@code m} (up to {@link #after}) were printed already, up to {@code last}. */
    private int printedAfter(Hit m, Position last) throws IOException {
        int n = 0;
        for (Hit h : search.neighbours(m.hostDir(), m.position(), m.id(), after, order)) {
            if (order.compare(h.position(), last) <= 0) {
                n++;
            }
        }
        return n;
    }

    private static int indexOf(List<Hit> hits, Hit m) {
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            if (h.position().equals(m.position()) || (m.id() != null && m.id().equals(h.id()))) {
                return i;
            }
        }
        return -1;
    }

    private void print(Hit h) {
        if (!group.started) {
            group.started = true;
            if (anyPrinted) {
                printer.separator();
            }
        }
        printer.print(h);
        anyPrinted = true;
        group.last = h.position();
        group.lastId = h.id();
    }
}
