package org.dqlog.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubling from {@code min} up to {@code max}, each drawn at random from the
 * upper half of its step ("equal jitter"), so that many consumers or producers cut off by one
 * broker restart do not all come back in the same millisecond, while no delay drops below half of
 * its step (nor below 1 ms). Used by the subscriber's sessions and, through
 * {@link org.dqlog.core.publish.ReconnectBackoff}, by the sender.
 *
 * <p>Immutable, so thread-safe (when the random source is).
 */
public final class Backoff {

    private static final int MAX_DOUBLINGS = 30;

    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration min, Duration max) {
        this(min, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} gives values in [0, 1). */
    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("reconnect min delay must be positive: " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("reconnect max delay " + max + " is below the min delay " + min);
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The delay before attempt number {@code failures + 1}, after {@code failures} (>= 1) failures in a row. */
    public Duration delay(int failures) {
        int doublings = Math.min(MAX_DOUBLINGS, Math.max(0, failures - 1));
        long stepMillis = Math.min(max.toMillis(), min.toMillis() << doublings);
        long half = stepMillis / 2;
        return Duration.ofMillis(Math.max(1, stepMillis - half + (long) (random.getAsDouble() * half)));
    }

    public Duration max() {
        return max;
    }
}
