package org.dqlog.archive;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A Bloom filter of every record id the index holds, so that a new record (nearly every record)
 * is known to be new without a term lookup in the whole index. It answers "certainly not
 * archived" or "maybe": a maybe is checked exactly in the index, so a false positive costs one
 * lookup and a record is never dropped on the filter's word. Ids are never removed (retention's
 * deletions leave bits set: more maybes, never a wrong "no"). Filled from the index's id terms
 * on open (after recovery) and with every id archived since.
 *
 * <p>Memory is bounded: the filter grows by doubling while its ids exceed what it was sized
 * for, up to {@code maxBytes}; past that it saturates and answers maybe for every id, which is
 * the exact check of every record as without a filter.
 *
 * <p>Not thread-safe: the {@link ArchiveStore} serialises access.
 */
public final class IdFilter {

    /** Bits per id: 10 bits and 7 hashes give about 1 % false positives. */
    private static final int BITS_PER_ID = 10;
    private static final int HASHES = 7;
    /** Largest filter by default: {@value} bytes (about 13 million ids at 1 %). */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    private final long maxBytes;
    private long[] bits;
    private long capacity;
    private long count;
    private boolean saturated;
    private IdSource refill;

    /** Every id archived, to refill a filter that grows (the index's id terms). */
    @FunctionalInterface
    public interface IdSource {
        void forEachId(Consumer<String> action) throws IOException;
    }

    /**
     * @param expectedIds the ids to size for at first
     * @param maxBytes    the most memory the filter takes; past that it saturates
     */
    public IdFilter(long expectedIds, long maxBytes) {
        this.maxBytes = maxBytes;
        size(Math.max(1024, expectedIds * 2));
    }

    /** False only if the id was certainly never {@link #add added}. */
    public boolean mightContain(String id) {
        if (saturated) {
            return true;
        }
        long h1 = hash(id, 0x9E3779B97F4A7C15L);
        long h2 = hash(id, 0xC2B2AE3D27D4EB4FL) | 1;
        long m = (long) bits.length * 64;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, m);
            if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds an id. When the filter is full it grows, refilled from {@link #refillFrom its id
     * source} (which must include this id's predecessors), else it saturates.
     */
    public void add(String id) {
        if (saturated) {
            return;
        }
        if (count >= capacity) {
            grow();
            if (saturated) {
                return;
            }
        }
        set(id);
        count++;
    }

    /** Where all ids come from when the filter must grow; without one it saturates instead. */
    public void refillFrom(IdSource everyId) {
        this.refill = everyId;
    }

    /** True once the filter gave up on its bound and answers maybe for every id. */
    public boolean saturated() {
        return saturated;
    }

    /** Ids added. */
    public long count() {
        return count;
    }

    private void set(String id) {
        long h1 = hash(id, 0x9E3779B97F4A7C15L);
        long h2 = hash(id, 0xC2B2AE3D27D4EB4FL) | 1;
        long m = (long) bits.length * 64;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, m);
            bits[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    private void size(long ids) {
        long words = (ids * BITS_PER_ID + 63) / 64;
        if (words * 8 > maxBytes || words > Integer.MAX_VALUE - 8) {
            saturate();
            return;
        }
        bits = new long[(int) words];
        capacity = ids;
        count = 0;
    }

    private void grow() {
        IdSource all = refill;
        if (all == null) {
            saturate();
            return;
        }
        size(capacity * 2);
        if (saturated) {
            return;
        }
        try {
            all.forEachId(id -> {
                set(id);
                count++;
            });
        } catch (IOException | RuntimeException e) {
            saturate(); // a filter missing ids would drop records: answer maybe for all instead
        }
    }

    private void saturate() {
        saturated = true;
        bits = null;
    }

    /** A 64-bit hash of the id's characters (FNV-1a steps, then a finalising mix). */
    private static long hash(String s, long seed) {
        long h = seed;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB93F53A2B8FL;
        h ^= h >>> 33;
        return h;
    }
}
