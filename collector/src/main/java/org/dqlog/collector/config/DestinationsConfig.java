package org.dqlog.collector.config;

import org.dqlog.core.Destinations;

/**
 * The {@code destinations:} section: where the collector subscribes.
 *
 * @param logging         queue of log records, archived
 * @param panic           queue of panics, archived and mailed; consumed on sessions of its own
 * @param progress        topic of progress messages, archived only when {@code archiveProgress}
 * @param archiveProgress whether to subscribe to {@code progress} and archive what arrives there
 * @param selector        JMS selector for the logging queue and the progress topic, or null for
 *                        everything; never applied to panics, which must never be left unconsumed
 */
public record DestinationsConfig(String logging, String panic, String progress, boolean archiveProgress,
                                 String selector) {

    public static final String DEFAULT_LOGGING = Destinations.LOGGING;
    public static final String DEFAULT_PANIC = Destinations.PANIC;
    public static final String DEFAULT_PROGRESS = Destinations.PROGRESS;
    /** Progress messages are transient status, not logs; archive them only on request. */
    public static final boolean DEFAULT_ARCHIVE_PROGRESS = false;

    public static DestinationsConfig defaults() {
        return new DestinationsConfig(DEFAULT_LOGGING, DEFAULT_PANIC, DEFAULT_PROGRESS, DEFAULT_ARCHIVE_PROGRESS, null);
    }
}
