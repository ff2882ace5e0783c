package org.dqlog.collector.mail;

import java.time.Instant;
import org.dqlog.core.LogRecord;

/**
 * A panic that is safely in the outbox and not yet mailed.
 *
 * @param key        names its outbox file (derived from the record id)
 * @param acceptedAt when the notifier accepted it, by the notifier's clock
 */
record PendingPanic(String key, LogRecord record, Instant acceptedAt) {
}
