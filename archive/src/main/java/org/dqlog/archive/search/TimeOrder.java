package org.dqlog.archive.search;

import java.util.Comparator;

/**
 * Time order of records: producer time ({@code ts}), then receive time ({@code rts}), then the
 * backend's tie-break, oldest first or newest first. The tie-break makes the order total, so that
 * paging works in both directions, ties included ({@link #reversed()} pages "before" a record
 * exactly as {@link #forward()} pages "after" it).
 *
 * <p>Immutable, so thread-safe.
 */
public final class TimeOrder {

    private static final TimeOrder FORWARD = new TimeOrder(false);
    private static final TimeOrder REVERSE = new TimeOrder(true);

    private final boolean newestFirst;

    private TimeOrder(boolean newestFirst) {
        this.newestFirst = newestFirst;
    }

    public static TimeOrder forward() {
        return FORWARD;
    }

    public static TimeOrder of(boolean newestFirst) {
        return newestFirst ? REVERSE : FORWARD;
    }

    /** The same fields the other way round. */
    public TimeOrder reversed() {
        return newestFirst ? FORWARD : REVERSE;
    }

    public boolean newestFirst() {
        return newestFirst;
    }

    /** Negative if {@code a} comes before {@code b} in this order. */
    public int compare(Position a, Position b) {
        int c = Long.compare(a.ts(), b.ts());
        if (c == 0) {
            c = Long.compare(a.rts(), b.rts());
        }
        if (c == 0) {
            c = Long.compare(a.tieBreak(), b.tieBreak());
        }
        return newestFirst ? -c : c;
    }

    public Comparator<Position> comparator() {
        return this::compare;
    }
}
