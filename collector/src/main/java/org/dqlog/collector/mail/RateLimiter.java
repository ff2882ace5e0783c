package org.dqlog.collector.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most N mails in any sliding hour. A sliding window rather than a fixed clock hour, so a
 * burst at 10:59 and another at 11:00 cannot add up to twice the cap.
 *
 * <p>Not thread-safe: only the notifier's sender thread uses it.
 */
final class RateLimiter {

    static final Duration PERIOD = Duration.ofHours(1);

    private final int maxPerPeriod;
    private final Deque<Instant> sent = new ArrayDeque<>();

    /** @param maxPerPeriod {@code 0}: no cap */
    RateLimiter(int maxPerPeriod) {
        this.maxPerPeriod = maxPerPeriod;
    }

    /** Takes a slot for one mail at {@code now}, if the cap allows. */
    boolean tryAcquire(Instant now) {
        if (maxPerPeriod == 0) {
            return true;
        }
        Instant horizon = now.minus(PERIOD);
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(horizon)) {
            sent.pollFirst();
        }
        if (sent.size() >= maxPerPeriod) {
            return false;
        }
        sent.addLast(now);
        return true;
    }
}
