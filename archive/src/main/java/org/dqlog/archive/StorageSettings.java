package org.dqlog.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the collector's storage ({@link ArchiveStore}).
 *
 * @param dataDir             the data directory: {@code logs/} and {@code index/} live in it
 * @param maxFileBytes        an active file is rolled before it passes this size
 * @param maxAge              rolled files whose whole day is older are deleted; null or zero: keep forever
 * @param maxTotalBytes       the oldest rolled files are deleted while all files together are larger; 0: no limit
 * @param maxOpenFiles        active files kept open at once
 * @param commitInterval      the index is committed (visible to {@code dqlog search}) at least this often while records arrive
 * @param maintenanceInterval how often compression and retention run in the background
 * @param recentIds           ids remembered in memory to answer duplicates without asking the index
 */
public record StorageSettings(Path dataDir, long maxFileBytes, Duration maxAge, long maxTotalBytes,
                              int maxOpenFiles, Duration commitInterval, Duration maintenanceInterval,
                              int recentIds) {

    /** {@value} days. */
    public static final int DEFAULT_MAX_AGE_DAYS = 90;
    /** 0: no total size limit. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 0;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofMinutes(1);
    /** {@value} ids. */
    public static final int DEFAULT_RECENT_IDS = 100_000;

    public StorageSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        if (maxFileBytes <= 0 || maxOpenFiles <= 0 || recentIds < 0 || maxTotalBytes < 0
                || maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
            throw new IllegalArgumentException("storage settings out of range: " + maxFileBytes + " maxFileBytes, "
                    + maxOpenFiles + " maxOpenFiles, " + recentIds + " recentIds, " + maxTotalBytes
                    + " maxTotalBytes, " + maintenanceInterval + " maintenanceInterval");
        }
    }

    /** The defaults for {@code dataDir}. */
    public static StorageSettings defaults(Path dataDir) {
        return new StorageSettings(dataDir, HostFileStore.DEFAULT_MAX_FILE_BYTES, Duration.ofDays(DEFAULT_MAX_AGE_DAYS),
                DEFAULT_MAX_TOTAL_BYTES, HostFileStore.DEFAULT_MAX_OPEN_FILES, DEFAULT_COMMIT_INTERVAL,
                DEFAULT_MAINTENANCE_INTERVAL, DEFAULT_RECENT_IDS);
    }

    public StorageSettings withMaxFileBytes(long v) {
        return new StorageSettings(dataDir, v, maxAge, maxTotalBytes, maxOpenFiles, commitInterval, maintenanceInterval, recentIds);
    }

    public StorageSettings withMaxAge(Duration v) {
        return new StorageSettings(dataDir, maxFileBytes, v, maxTotalBytes, maxOpenFiles, commitInterval, maintenanceInterval, recentIds);
    }

    public StorageSettings withMaxTotalBytes(long v) {
        return new StorageSettings(dataDir, maxFileBytes, maxAge, v, maxOpenFiles, commitInterval, maintenanceInterval, recentIds);
    }

    public StorageSettings withMaxOpenFiles(int v) {
        return new StorageSettings(dataDir, maxFileBytes, maxAge, maxTotalBytes, v, commitInterval, maintenanceInterval, recentIds);
    }

    public StorageSettings withCommitInterval(Duration v) {
        return new StorageSettings(dataDir, maxFileBytes, maxAge, maxTotalBytes, maxOpenFiles, v, maintenanceInterval, recentIds);
    }

    public StorageSettings withMaintenanceInterval(Duration v) {
        return new StorageSettings(dataDir, maxFileBytes, maxAge, maxTotalBytes, maxOpenFiles, commitInterval, v, recentIds);
    }

    public StorageSettings withRecentIds(int v) {
        return new StorageSettings(dataDir, maxFileBytes, maxAge, maxTotalBytes, maxOpenFiles, commitInterval, maintenanceInterval, v);
    }
}
