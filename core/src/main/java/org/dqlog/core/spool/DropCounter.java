package org.dqlog.core.spool;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import org.dqlog.core.Level;

/**
 * Counts the records that the memory queue and the disk spool dropped, per level, with the time
 * of the first and the last drop, so that the sender can report them (to {@code Status} and, once a
 * broker is back, as a record in the central log) and then {@link #snapshotAndReset() reset}.
 *
 * <p>Thread-safe: application threads (memory queue) and the sender thread (disk spool) record
 * drops concurrently; each call holds a monitor for a few field updates only.
 */
public final class DropCounter {

    private static final Level[] LEVELS = Level.values();

    private final Clock clock;
    private final long[] perLevel = new long[LEVELS.length];
    private long panics;
    private long total;
    private long firstDropMillis;
    private long lastDropMillis;

    public DropCounter() {
        this(Clock.systemUTC());
    }

    public DropCounter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one dropped entry. */
    public void record(SpoolEntry entry) {
        record(entry.level(), entry.isPanic());
    }

    /** Counts one dropped record of {@code level}; {@code panic} counts it among the panics too. */
    public void record(Level level, boolean panic) {
        long now = clock.millis();
        synchronized (this) {
            if (total == 0) {
                firstDropMillis = now;
            }
            lastDropMillis = now;
            total++;
            perLevel[level.ordinal()]++;
            if (panic) {
                panics++;
            }
        }
    }

    /** The counts so far. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(perLevel.clone(), panics, total, firstDropMillis, lastDropMillis);
    }

    /** The counts so far, and zero afterwards; no drop is lost between the two. */
    public synchronized Snapshot snapshotAndReset() {
        Snapshot snapshot = snapshot();
        Arrays.fill(perLevel, 0);
        panics = 0;
        total = 0;
        firstDropMillis = 0;
        lastDropMillis = 0;
        return snapshot;
    }

    /** Immutable counts of dropped records. */
    public static final class Snapshot {
        private final long[] perLevel;
        private final long panics;
        private final long total;
        private final long firstDropMillis;
        private final long lastDropMillis;

        Snapshot(long[] perLevel, long panics, long total, long firstDropMillis, long lastDropMillis) {
            this.perLevel = perLevel;
            this.panics = panics;
            this.total = total;
            this.firstDropMillis = firstDropMillis;
            this.lastDropMillis = lastDropMillis;
        }

        public long total() {
            return total;
        }

        public long count(Level level) {
            return perLevel[level.ordinal()];
        }

        /** Dropped panics (also counted under their level). */
        public long panics() {
            return panics;
        }

        public boolean isEmpty() {
            return total == 0;
        }

        /** Time of the first drop counted, or null if none. */
        public Instant firstDrop() {
            return total == 0 ? null : Instant.ofEpochMilli(firstDropMillis);
        }

        /** Time of the last drop counted, or null if none. */
        public Instant lastDrop() {
            return total == 0 ? null : Instant.ofEpochMilli(lastDropMillis);
        }

        /** For a status message: {@code dropped 12 records (DEBUG 10, INFO 2) between ... and ...}. */
        @Override
        public String toString() {
            if (total == 0) {
                return "dropped no records";
            }
            StringBuilder text = new StringBuilder("dropped ").append(total).append(total == 1 ? " record (" : " records (");
            String separator = "";
            for (Level level : LEVELS) {
                if (perLevel[level.ordinal()] > 0) {
                    text.append(separator).append(level).append(' ').append(perLevel[level.ordinal()]);
                    separator = ", ";
                }
            }
            if (panics > 0) {
                text.append(separator).append("of them panics ").append(panics);
            }
            return text.append(") between ").append(firstDrop()).append(" and ").append(lastDrop()).toString();
        }
    }
}
