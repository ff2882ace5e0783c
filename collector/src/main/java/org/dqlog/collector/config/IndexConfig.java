package org.dqlog.collector.config;

import java.time.Duration;
import org.dqlog.archive.StorageSettings;

/**
 * The {@code index:} section: the Lucene index under {@code <data>/index}.
 *
 * @param commitInterval how often the index is committed while records arrive; {@code dqlog search}
 *                       runs in its own process and sees only committed records
 * @param recentIds      record ids remembered in memory to recognise duplicates without asking the index
 */
public record IndexConfig(Duration commitInterval, int recentIds) {

    /** 1 s: new records become searchable within about a second. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = StorageSettings.DEFAULT_COMMIT_INTERVAL;
    /** {@value} ids, the store's default. */
    public static final int DEFAULT_RECENT_IDS = StorageSettings.DEFAULT_RECENT_IDS;

    public static IndexConfig defaults() {
        return new IndexConfig(DEFAULT_COMMIT_INTERVAL, DEFAULT_RECENT_IDS);
    }
}
