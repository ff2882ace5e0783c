package org.dqlog.cli.progress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last {@code capacity} messages handled, to drop repeats: a {@code notify} whose
 * receipt was lost and that was resent to another broker, a redelivery after a crash before the
 * acknowledgement. A window of ids, not of time: bounded memory whatever the rate, and no clock.
 *
 * <p>Not thread-safe: the one worker thread of a {@link Listener} owns it.
 */
final class RecentIds {

    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True if {@code id} was among the last ids {@link #add added}. */
    boolean contains(String id) {
        return ids.containsKey(id);
    }

    void add(String id) {
        ids.put(id, Boolean.TRUE);
    }
}
