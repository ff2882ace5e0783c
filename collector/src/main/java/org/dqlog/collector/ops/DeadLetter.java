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
 * @param body        the raw body, or as much of it as was kept; not copied, must not be modified afterwards
 * @param bodyBytes   the length of the whole body as it arrived (more than {@code body} holds when
 *                    only its start was kept)
 * @param line        for one line of a batch ({@code MsgType:LogBatch}), its number (1 is the first
 *                    line), and {@code body} is that line alone; 0 for a whole message
 */
public record DeadLetter(Instant receivedAt, String broker, String destination, Map<String, String> headers,
                         DeadLetterReason reason, String detail, byte[] body, long bodyBytes, int line) {

    public DeadLetter {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(reason, "reason");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
        bodyBytes = Math.max(bodyBytes, body.length);
        if (line < 0) {
            throw new IllegalArgumentException("line " + line);
        }
    }

    /** A dead letter of a whole message, of which {@code bodyBytes} arrived. */
    public DeadLetter(Instant receivedAt, String broker, String destination, Map<String, String> headers,
                      DeadLetterReason reason, String detail, byte[] body, long bodyBytes) {
        this(receivedAt, broker, destination, headers, reason, detail, body, bodyBytes, 0);
    }

    /** A dead letter whose whole body is kept. */
    public DeadLetter(Instant receivedAt, String broker, String destination, Map<String, String> headers,
                      DeadLetterReason reason, String detail, byte[] body) {
        this(receivedAt, broker, destination, headers, reason, detail, body, 0, 0);
    }

    /** The broker's message-id (stable across redeliveries), or null. */
    public String messageId() {
        return headers.get("message-id");
    }

    /**
     * What makes this letter the same on every redelivery: the message-id, and for a line of a
     * batch also its number ({@code <message-id>#<line>}); null without a message-id.
     */
    public String key() {
        String id = messageId();
        return id == null || line == 0 ? id : keyOf(id, line);
    }

    /** The {@link #key()} of line {@code line} of message {@code messageId}. */
    static String keyOf(String messageId, int line) {
        return line == 0 ? messageId : messageId + "#" + line;
    }
}
