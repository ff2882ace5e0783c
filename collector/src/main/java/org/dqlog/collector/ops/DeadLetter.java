package org.dqlog.collector.ops;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message the collector could not archive, as it arrived.
 *
 * @param receivedAt  when the collector received it
 * @param broker      the broker it came from (as {@code BrokerAddress.toString()} shows it)
 * @param destination the destination it arrived on
 * @param headers     all its STOMP headers, in wire order
 * @param reason      why it could not be archived
 * @param detail      the decoder's explanation, or null
 * @param body        the raw body; not copied, must not be modified afterwards
 */
public record DeadLetter(Instant receivedAt, String broker, String destination, Map<String, String> headers,
                         DeadLetterReason reason, String detail, byte[] body) {

    public DeadLetter {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(reason, "reason");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
    }
}
