package org.dqlog.collector.config;

import java.time.Duration;

/**
 * The {@code batch:} section: group commit. Records are written, fsynced, indexed and
 * acknowledged together once {@code maxRecords} have arrived or {@code maxDelay} has passed
 * since the first of them, so durability costs one disk flush per batch, not per record.
 */
public record BatchConfig(int maxRecords, Duration maxDelay) {

    /** {@value} records. */
    public static final int DEFAULT_MAX_RECORDS = 500;
    /** 200 ms: short enough that a record is searchable about a second after it was sent. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(200);

    public static BatchConfig defaults() {
        return new BatchConfig(DEFAULT_MAX_RECORDS, DEFAULT_MAX_DELAY);
    }
}
