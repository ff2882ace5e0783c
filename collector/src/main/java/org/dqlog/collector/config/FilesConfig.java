package org.dqlog.collector.config;

import java.time.Duration;
import org.dqlog.archive.HostFileStore;
import org.dqlog.archive.StorageSettings;

/**
 * The {@code files:} section: the per-host files under {@code <data>/logs}.
 *
 * @param maxFileBytes        an active file is rolled before it passes this size
 * @param rotateDaily         roll every file when the UTC day changes (the store always does)
 * @param maxAge              rolled files older than this are deleted; zero keeps them forever
 * @param maxTotalBytes       the oldest rolled files are deleted while all together are larger; zero: no limit
 * @param compress            gzip rolled files (the store always does)
 * @param maxOpenFiles        active files kept open at once
 * @param maintenanceInterval how often compression and retention run
 */
public record FilesConfig(long maxFileBytes, boolean rotateDaily, Duration maxAge, long maxTotalBytes,
                          boolean compress, int maxOpenFiles, Duration maintenanceInterval) {

    /** 64 MiB, the store's default. */
    public static final long DEFAULT_MAX_FILE_BYTES = HostFileStore.DEFAULT_MAX_FILE_BYTES;
    public static final boolean DEFAULT_ROTATE_DAILY = true;
    /** 90 days, the store's default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(StorageSettings.DEFAULT_MAX_AGE_DAYS);
    /** 0: no limit on the total size. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = StorageSettings.DEFAULT_MAX_TOTAL_BYTES;
    public static final boolean DEFAULT_COMPRESS = true;
    /** {@value}, the store's default. */
    public static final int DEFAULT_MAX_OPEN_FILES = HostFileStore.DEFAULT_MAX_OPEN_FILES;
    /** 1 minute, the store's default. */
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = StorageSettings.DEFAULT_MAINTENANCE_INTERVAL;

    public static FilesConfig defaults() {
        return new FilesConfig(DEFAULT_MAX_FILE_BYTES, DEFAULT_ROTATE_DAILY, DEFAULT_MAX_AGE, DEFAULT_MAX_TOTAL_BYTES,
                DEFAULT_COMPRESS, DEFAULT_MAX_OPEN_FILES, DEFAULT_MAINTENANCE_INTERVAL);
    }
}
