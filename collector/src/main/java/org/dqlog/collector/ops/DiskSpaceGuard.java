package org.dqlog.collector.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.dqlog.core.Status;

/**
 * Tells the collector whether the data directory's file system still has {@code minFreeBytes}
 * usable. Below that the collector stops acknowledging (nothing is lost: unacknowledged messages
 * stay on the brokers) and resumes when space returns. A measurement is reused for
 * {@code cacheTime}, so {@link #hasRoom()} is cheap enough to ask once per batch. Each change
 * between full and not full is reported once, through the {@link Status} and the
 * {@link Listener}; a file system that cannot be measured counts as full.
 *
 * <p>Thread-safe.
 */
public final class DiskSpaceGuard {

    /** A measurement is reused for 1 s. */
    public static final Duration DEFAULT_CACHE_TIME = Duration.ofSeconds(1);

    /** Measures usable bytes; {@code FileStore.getUsableSpace()} of the data directory in production. */
    @FunctionalInterface
    public interface UsableSpace {
        long usableBytes() throws IOException;
    }

    /** Hears of each change between full and not full, once per change. Must not block or throw. */
    public interface Listener {
        void diskFull(long usableBytes, long minFreeBytes);

        void diskOk(long usableBytes, long minFreeBytes);
    }

    private final UsableSpace space;
    private final String where;
    private final Clock clock;
    private final Duration cacheTime;
    private final Status status;
    private final Listener listener;
    private volatile long minFreeBytes;

    private long measuredAtMillis;
    private boolean measured;
    private volatile long usableBytes = -1;
    private volatile boolean full;

    /**
     * @param space    what to measure
     * @param where    names the file system in reports (the data directory)
     * @param listener may be null
     */
    public DiskSpaceGuard(UsableSpace space, String where, long minFreeBytes, Clock clock, Duration cacheTime,
            Status status, Listener listener) {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes < 0: " + minFreeBytes);
        }
        this.space = Objects.requireNonNull(space, "space");
        this.where = where;
        this.minFreeBytes = minFreeBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTime = Objects.requireNonNull(cacheTime, "cacheTime");
        this.status = Objects.requireNonNull(status, "status");
        this.listener = listener;
    }

    /** Guards the file system of {@code dataDir} (which must exist), measuring at most once a second. */
    public static DiskSpaceGuard forDirectory(Path dataDir, long minFreeBytes, Status status, Listener listener) {
        return forDirectory(dataDir, minFreeBytes, Clock.systemUTC(), DEFAULT_CACHE_TIME, status, listener);
    }

    public static DiskSpaceGuard forDirectory(Path dataDir, long minFreeBytes, Clock clock, Duration cacheTime,
            Status status, Listener listener) {
        // Asked afresh each time, so a file system mounted over the directory later is the one measured.
        UsableSpace space = () -> Files.getFileStore(dataDir).getUsableSpace();
        return new DiskSpaceGuard(space, dataDir.toString(), minFreeBytes, clock, cacheTime, status, listener);
    }

    /** Whether at least {@code minFreeBytes} are usable, measured at most once per cache time. */
    public synchronized boolean hasRoom() {
        long now = clock.millis();
        if (measured && now - measuredAtMillis < cacheTime.toMillis()) {
            return !full;
        }
        measured = true;
        measuredAtMillis = now;
        long bytes;
        IOException failure = null;
        try {
            bytes = space.usableBytes();
        } catch (IOException e) {
            bytes = -1;
            failure = e;
        }
        usableBytes = bytes;
        boolean nowFull = bytes < minFreeBytes || failure != null;
        if (nowFull != full) {
            full = nowFull;
            report(nowFull, bytes, failure);
        }
        return !nowFull;
    }

    /** The last measurement without measuring again; -1 before the first or after a failed one. */
    public long usableBytes() {
        return usableBytes;
    }

    /** The last verdict without measuring again; false before the first measurement. */
    public boolean isFull() {
        return full;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Changes the threshold; the next measurement (after the cache time) applies it. */
    public void setMinFreeBytes(long minFreeBytes) {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes < 0: " + minFreeBytes);
        }
        this.minFreeBytes = minFreeBytes;
    }

    private void report(boolean nowFull, long bytes, IOException failure) {
        long min = minFreeBytes;
        if (nowFull) {
            String why = failure != null ? "cannot measure free space (" + failure.getClass().getSimpleName() + ": "
                    + failure.getMessage() + ")" : "only " + bytes + " bytes usable, below minFreeBytes " + min;
            status.error("disk full at " + where + ": " + why + "; no longer acknowledging messages", failure);
            if (listener != null) {
                listener.diskFull(bytes, min);
            }
        } else {
            status.info("disk space back at " + where + ": " + bytes + " bytes usable (minFreeBytes " + min
                    + "); acknowledging again");
            if (listener != null) {
                listener.diskOk(bytes, min);
            }
        }
    }
}
