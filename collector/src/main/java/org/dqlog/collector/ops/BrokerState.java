package org.dqlog.collector.ops;

import java.time.Instant;

/**
 * What the collector last heard of its session with one broker.
 *
 * @param broker the broker as the subscriber names it ({@code tcp://mq1:61613 (10.0.0.7)})
 * @param up     whether the collector is consuming from it now
 * @param since  when it last changed
 * @param reason why it is down (an error text without secrets), or null
 */
public record BrokerState(String broker, boolean up, Instant since, String reason) {
}
