package org.dqlog.collector.ops;

import java.time.Clock;

/**
 * Events per second over a sliding window of whole-second buckets, for humans looking at
 * {@code /metrics} (Prometheus itself derives rates from the counters).
 *
 * <p>Thread-safe: the buckets are guarded by this object's lock, held for a few array accesses.
 */
final class RateWindow {

    private final Clock clock;
    private final int seconds;
    private final long[] counts;
    private final long[] secondOfBucket;
    private final long startedMillis;

    RateWindow(Clock clock, int seconds) {
        this.clock = clock;
        this.seconds = seconds;
        this.counts = new long[seconds];
        this.secondOfBucket = new long[seconds];
        java.util.Arrays.fill(secondOfBucket, Long.MIN_VALUE);
        this.startedMillis = clock.millis();
    }

    synchronized void add(long n) {
        long second = Math.floorDiv(clock.millis(), 1000L);
        int i = (int) Math.floorMod(second, (long) seconds);
        if (secondOfBucket[i] != second) {
            secondOfBucket[i] = second;
            counts[i] = 0;
        }
        counts[i] += n;
    }

    /**
     * Events per second in the last {@code seconds} whole seconds before the current one (which is
     * still filling), or since this window was created if that is later.
     */
    synchronized double perSecond() {
        long current = Math.floorDiv(clock.millis(), 1000L);
        long sum = 0;
        for (int i = 0; i < seconds; i++) {
            if (secondOfBucket[i] >= current - seconds && secondOfBucket[i] < current) {
                sum += counts[i];
            }
        }
        long windowStart = Math.max((current - seconds) * 1000L, startedMillis);
        long spanMillis = current * 1000L - windowStart;
        return spanMillis <= 0 ? 0.0 : sum * 1000.0 / spanMillis;
    }
}
