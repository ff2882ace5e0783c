package org.dqlog.core.spool;

/**
 * A place in one level class of the disk spool: a segment's sequence number and a byte offset in
 * it. Positions only ever move forward, so "later" is plain comparison; a position in a segment
 * that no longer exists means "from the next segment on".
 *
 * <p>Immutable.
 */
final class SpoolPosition implements Comparable<SpoolPosition> {

    static final SpoolPosition START = new SpoolPosition(0, 0);

    final long sequence;
    final long offset;

    SpoolPosition(long sequence, long offset) {
        this.sequence = sequence;
        this.offset = offset;
    }

    static SpoolPosition later(SpoolPosition a, SpoolPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(SpoolPosition other) {
        int bySequence = Long.compare(sequence, other.sequence);
        return bySequence != 0 ? bySequence : Long.compare(offset, other.offset);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpoolPosition && compareTo((SpoolPosition) other) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return sequence + ":" + offset;
    }
}
