package org.dqlog.bench;

import java.util.Arrays;

/**
 * Durations of single calls in nanoseconds, kept in a plain array and sorted for percentiles (no
 * HdrHistogram: a few hundred thousand longs are cheap, and exact).
 *
 * <p>Not thread-safe: the measuring thread records; read after it finished.
 */
public final class LatencySamples {

    private final long[] nanos;
    private volatile int count;

    public LatencySamples(int capacity) {
        this.nanos = new long[capacity];
    }

    /** Records one call; calls beyond the capacity are ignored. */
    public void add(long durationNanos) {
        int n = count;
        if (n < nanos.length) {
            nanos[n] = durationNanos;
            count = n + 1;
        }
    }

    /** Calls recorded so far; safe to read from another thread while recording. */
    public int count() {
        return count;
    }

    /** The p-th percentile (0..100) in nanoseconds, nearest rank; 0 when empty. */
    public long percentile(double p) {
        long[] sorted = sorted();
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The mean in nanoseconds; 0 when empty. */
    public long mean() {
        int n = count;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += nanos[i];
        }
        return n == 0 ? 0 : sum / n;
    }

    /** The slowest call in nanoseconds; 0 when empty. */
    public long max() {
        long[] sorted = sorted();
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    private long[] sorted() {
        long[] copy = Arrays.copyOf(nanos, count);
        Arrays.sort(copy);
        return copy;
    }

    /** Nanoseconds as a short human figure: 850 ns, 12.3 µs, 4.1 ms, 5.0 s. */
    public static String human(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format("%.1f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000L) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.1f s", nanos / 1e9);
    }
}
