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

    /** Adds counts taken elsewhere (another counter, or a spool's file left by an earlier process). */
    public void add(Snapshot other) {
        if (other.isEmpty()) {
            return;
        }
        synchronized (this) {
            firstDropMillis = total == 0 ? other.firstDropMillis : Math.min(firstDropMillis, other.firstDropMillis);
            lastDropMillis = total == 0 ? other.lastDropMillis : Math.max(lastDropMillis, other.lastDropMillis);
            for (int i = 0; i < perLevel.length; i++) {
                perLevel[i] += other.perLevel[i];
            }
            panics += other.panics;
            total += other.total;
        }
    }

    /**
     * Takes away counts that were reported (a broker confirmed the WARN record about them); drops
     * counted since that snapshot stay. What remains is dated from the end of the reported span.
     */
    public void subtract(Snapshot reported) {
        if (reported.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (int i = 0; i < perLevel.length; i++) {
                perLevel[i] = Math.max(0, perLevel[i] - reported.perLevel[i]);
            }
            panics = Math.max(0, panics - reported.panics);
            total = Math.max(0, total - reported.total);
            if (total == 0) {
                firstDropMillis = 0;
                lastDropMillis = 0;
            } else {
                firstDropMillis = Math.max(firstDropMillis, reported.lastDropMillis);
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

        /** Counts read back from a file: per level (in {@link Level} order), panics, total, first and last drop. */
        public static Snapshot of(long[] perLevel, long panics, long firstDropMillis, long lastDropMillis) {
            if (perLevel.length != LEVELS.length) {
                throw new IllegalArgumentException("expected " + LEVELS.length + " level counts, got " + perLevel.length);
            }
            long total = 0;
            for (long count : perLevel) {
                total += Math.max(0, count);
            }
            return new Snapshot(perLevel.clone(), Math.max(0, panics), total, firstDropMillis, lastDropMillis);
        }

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

        /** The sum of two snapshots (the memory queue's drops and the spool's). */
        public Snapshot plus(Snapshot other) {
            if (other.isEmpty()) {
                return this;
            }
            if (isEmpty()) {
                return other;
            }
            long[] sum = perLevel.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.perLevel[i];
            }
            return new Snapshot(sum, panics + other.panics, total + other.total,
                    Math.min(firstDropMillis, other.firstDropMillis), Math.max(lastDropMillis, other.lastDropMillis));
        }

        long[] perLevel() {
            return perLevel.clone();
        }

        long firstDropMillis() {
            return firstDropMillis;
        }

        long lastDropMillis() {
            return lastDropMillis;
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
