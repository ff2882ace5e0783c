package org.dqlog.core.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between rounds of connection attempts: starts at the minimum, doubles after each failed
 * round up to the maximum, with 20% random jitter (+-10%) so that a fleet of producers cut off by the
 * same outage does not reconnect in lock-step; {@link #reset()} after a success.
 *
 * <p>Not thread-safe: one per sender thread.
 */
public final class ReconnectBackoff {

    private static final double JITTER = 0.2;

    private final long minNanos;
    private final long maxNanos;
    private long nextNanos;

    public ReconnectBackoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, were " + min + " and " + max);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = minNanos;
    }

    /** The delay before the next round; doubles the one after it, up to the maximum. */
    public Duration next() {
        long base = nextNanos;
        nextNanos = Math.min(maxNanos, base > maxNanos / 2 ? maxNanos : base * 2);
        long spread = (long) (base * JITTER);
        long delay = base - spread / 2 + (long) (spread * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos(Math.max(1, Math.min(maxNanos, delay)));
    }

    /** Back to the minimum, after a round that succeeded. */
    public void reset() {
        nextNanos = minNanos;
    }
}
