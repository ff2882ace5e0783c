package org.dqlog.core.publish;

import java.time.Duration;
import org.dqlog.core.Backoff;

/**
 * Delays between rounds of connection attempts: {@link Backoff}'s doubling, jittered delays,
 * counted from the last success, so that a fleet of producers cut off by the same outage does not
 * reconnect in lock-step; {@link #reset()} after a success.
 *
 * <p>Not thread-safe: one per sender thread.
 */
public final class ReconnectBackoff {

    private final Backoff backoff;
    private int failures;

    public ReconnectBackoff(Duration min, Duration max) {
        this.backoff = new Backoff(min, max);
    }

    /** The delay before the next round; doubles the one after it, up to the maximum. */
    public Duration next() {
        if (failures < Integer.MAX_VALUE) {
            failures++;
        }
        return backoff.delay(failures);
    }

    /** Back to the minimum, after a round that succeeded. */
    public void reset() {
        failures = 0;
    }
}
