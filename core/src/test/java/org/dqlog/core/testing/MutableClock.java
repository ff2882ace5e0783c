package org.dqlog.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock in UTC that moves only when a test moves it, so that days, ages, storm windows and
 * intervals pass without waiting.
 *
 * <p>Thread-safe: the code under test may read it on its own threads while the test moves it.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock forward by {@code d} (backward when negative). */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    public void set(Instant t) {
        now.set(t);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock itself: it has one zone, and tests want the same instants whatever zone the code asks for. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
