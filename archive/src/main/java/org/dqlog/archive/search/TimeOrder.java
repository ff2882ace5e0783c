package org.dqlog.archive.search;

import java.util.Comparator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.dqlog.archive.IndexSchema;

/**
 * Time order of records: producer time ({@code ts}), then receive time ({@code rts}), then the
 * document, oldest first or newest first. The doc id is an explicit last sort field so that
 * paging with {@code searchAfter} works in both directions, ties included ({@link #reversed()}
 * pages "before" a record exactly as {@link #forward()} pages "after" it).
 *
 * <p>Immutable, so thread-safe.
 */
public final class TimeOrder {

    private static final TimeOrder FORWARD = new TimeOrder(false);
    private static final TimeOrder REVERSE = new TimeOrder(true);

    private final boolean newestFirst;
    private final Sort sort;

    private TimeOrder(boolean newestFirst) {
        this.newestFirst = newestFirst;
        this.sort = new Sort(field(IndexSchema.TS, newestFirst), field(IndexSchema.RTS, newestFirst),
                new SortField(null, SortField.Type.DOC, newestFirst));
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

    public Sort sort() {
        return sort;
    }

    /** Negative if {@code a} comes before {@code b} in this order. */
    public int compare(FieldDoc a, FieldDoc b) {
        int c = Long.compare((Long) a.fields[0], (Long) b.fields[0]);
        if (c == 0) {
            c = Long.compare((Long) a.fields[1], (Long) b.fields[1]);
        }
        if (c == 0) {
            c = Integer.compare((Integer) a.fields[2], (Integer) b.fields[2]);
        }
        return newestFirst ? -c : c;
    }

    public Comparator<FieldDoc> comparator() {
        return this::compare;
    }

    private static SortField field(String name, boolean reverse) {
        SortField f = new SortField(name, SortField.Type.LONG, reverse);
        // a record without a time (never written by the collector, but possible in an old index) sorts first
        f.setMissingValue(Long.MIN_VALUE);
        return f;
    }
}
