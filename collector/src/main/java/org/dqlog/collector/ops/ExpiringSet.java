package org.dqlog.collector.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keys remembered for a while: each for {@code retention} after it was last added, so that a
 * long-running daemon's memory follows the rate of new keys, not its uptime; and never more than
 * {@code capacity} of them. Expired keys are dropped as new ones come.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
public final class ExpiringSet {

    private final Clock clock;
    private final Duration retention;
    private final int capacity;
    private final LinkedHashMap<String, Instant> added = new LinkedHashMap<>();

    public ExpiringSet(Clock clock, Duration retention) {
        this(clock, retention, Integer.MAX_VALUE);
    }

    /** @param capacity at most this many keys, the oldest dropped first, however young */
    public ExpiringSet(Clock clock, Duration retention, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero() || capacity < 1) {
            throw new IllegalArgumentException("retention and capacity must be positive: " + retention + ", " + capacity);
        }
        this.retention = retention;
        this.capacity = capacity;
    }

    public boolean contains(String key) {
        Instant at = added.get(key);
        return at != null && !expired(at, clock.instant());
    }

    /** Remembers the key from now on. */
    public void add(String key) {
        add(key, clock.instant());
    }

    /** Remembers the key as added at {@code at} (when reloading what was saved); an expired one is ignored. */
    public void add(String key, Instant at) {
        Instant now = clock.instant();
        expire(now);
        if (expired(at, now)) {
            return;
        }
        added.remove(key);
        added.put(key, at);
        if (added.size() > capacity) {
            Iterator<String> eldest = added.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** Keys remembered, the expired ones dropped first. */
    public int size() {
        expire(clock.instant());
        return added.size();
    }

    /** Every key still remembered with the time it was added, oldest first (for saving). */
    public Map<String, Instant> entries() {
        expire(clock.instant());
        return new LinkedHashMap<>(added);
    }

    public Duration retention() {
        return retention;
    }

    private boolean expired(Instant at, Instant now) {
        return !at.plus(retention).isAfter(now);
    }

    /** Keys are in the order added (times reloaded from a file may not be; they expire a little late). */
    private void expire(Instant now) {
        Iterator<Instant> it = added.values().iterator();
        while (it.hasNext() && expired(it.next(), now)) {
            it.remove();
        }
    }
}
