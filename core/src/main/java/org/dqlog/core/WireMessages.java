package org.dqlog.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity rules of a record on the wire, in one place (docs/message-format.md, "Identity"):
 * what a producer puts in the headers of a record's SEND, to which queues it goes, and how a
 * consumer turns a received message, from dqlog or from the Python tooling, into a complete
 * record with an id, a host, a time, a level and a type.
 *
 * <p>Stateless, so thread-safe.
 */
public final class WireMessages {

    /** Host of a record that names none (the Python tooling's panics). */
    public static final String UNKNOWN_HOST = "unknown-host";
    /** Prefix of an id taken from the broker's {@code message-id}; no producer id has a colon. */
    public static final String MESSAGE_ID_PREFIX = "msgid:";
    /** Prefix of an id made from the body when the message has no {@code message-id} either. */
    public static final String BODY_HASH_PREFIX = "sha256:";
    /** Level of a panic that names none: a panic is the fleet's highest urgency. */
    public static final Level DEFAULT_PANIC_LEVEL = Level.FATAL;
    /** Level of any other record that names none. */
    public static final Level DEFAULT_LEVEL = Level.INFO;

    private static final List<String> LOGGING_ONLY = Collections.singletonList(Destinations.LOGGING);
    private static final List<String> BOTH = Collections.unmodifiableList(
            Arrays.asList(Destinations.LOGGING, Destinations.PANIC));

    private WireMessages() { }

    /**
     * Where a record goes: a panic ({@code panic} true: an ERROR record of an appender, {@code
     * dqlog panic}, {@code Panic.panic}) to the logging queue and, with the same body and so the
     * same id, to the panic queue; every other record to the logging queue only. The collector
     * archives whichever copy comes first and notifies for the panic queue's copy.
     */
    public static List<String> destinationsFor(LogRecord record) {
        return record.panic() ? BOTH : LOGGING_ONLY;
    }

    /**
     * The headers of a record's SEND to {@code destination}, in frame order, without {@code
     * destination}, {@code receipt} or {@code content-length} (the session's business). The body
     * is {@link RecordCodec#encode}, the same bytes for every destination. On the panic queue
     * {@code MsgType} is {@code Panic}, whatever the record's own type, because that is what the
     * panic queue's other consumers select on.
     */
    public static Map<String, String> sendHeaders(LogRecord record, String destination) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(MessageHeaders.MSG_CLASS, MessageHeaders.MSG_CLASS_DQ);
        h.put(MessageHeaders.MSG_TYPE,
                Destinations.PANIC.equals(destination) ? LogRecord.TYPE_PANIC : record.type());
        h.put(MessageHeaders.PERSISTENT, "true");
        h.put(MessageHeaders.CONTENT_TYPE, MessageHeaders.JSON_CONTENT_TYPE);
        h.put(MessageHeaders.AMQ_MSG_TYPE, MessageHeaders.AMQ_TEXT);
        putIfSet(h, MessageHeaders.HOST, record.host());
        putIfSet(h, MessageHeaders.APP, record.app());
        putIfSet(h, MessageHeaders.LEVEL, record.level() == null ? null : record.level().name());
        return h;
    }

    private static void putIfSet(Map<String, String> headers, String name, String value) {
        if (value != null && !value.isEmpty()) {
            headers.put(name, value);
        }
    }

    /**
     * The record of a received message (the MESSAGE frame's headers, already unescaped, and its
     * body), completed by the identity rules, in this order:
     * <ul>
     * <li>type: the body's {@code type}, else the {@code MsgType} header, else Panic on the panic
     *     queue, else Log. The body wins, so both copies of an appender's ERROR record (MsgType
     *     Log and Panic) give the same record, whichever arrives first.</li>
     * <li>panic: true if the body says so, the type is Panic, {@code MsgType} is Panic or the
     *     message came from the panic queue.</li>
     * <li>id: the body's {@code id}, else {@value #MESSAGE_ID_PREFIX} + the broker's {@code
     *     message-id} (stable across redeliveries), else {@value #BODY_HASH_PREFIX} + a hash
     *     of the body.</li>
     * <li>host: the body's, else {@value #UNKNOWN_HOST}.</li>
     * <li>ts: the body's, else from {@code time} (epoch seconds), else the broker's {@code
     *     timestamp} header, else null, for the collector to fill in with its receive time.</li>
     * <li>level: the body's, else FATAL for a panic, INFO otherwise.</li>
     * <li>app: the body's, else the base name of {@code command} (a Python script's name).</li>
     * <li>message: {@code message}, else {@code msg} (done by {@link RecordCodec#decode}).</li>
     * </ul>
     *
     * @throws MalformedRecordException when the body is no record (see {@link RecordCodec#decode})
     */
    public static LogRecord fromMessage(Map<String, String> headers, byte[] body)
            throws MalformedRecordException {
        RecordCodec.Decoded decoded = RecordCodec.decodeBody(body);
        LogRecord r = decoded.record;
        String msgType = blankToNull(headers.get(MessageHeaders.MSG_TYPE));
        boolean panicHeaders = LogRecord.TYPE_PANIC.equals(msgType)
                || Destinations.PANIC.equals(headers.get(MessageHeaders.DESTINATION));

        String type = decoded.hasType ? r.type()
                : msgType != null ? msgType
                : panicHeaders ? LogRecord.TYPE_PANIC : LogRecord.TYPE_LOG;
        boolean panic = r.panic() || panicHeaders || LogRecord.TYPE_PANIC.equals(type);

        LogRecord.Builder b = r.toBuilder().type(type).panic(panic);
        if (blankToNull(r.id()) == null) {
            b.id(fallbackId(headers, body));
        }
        if (blankToNull(r.host()) == null) {
            b.host(UNKNOWN_HOST);
        }
        if (r.ts() == null) {
            b.ts(fallbackTs(r, headers));
        }
        if (r.level() == null) {
            b.level(panic ? DEFAULT_PANIC_LEVEL : DEFAULT_LEVEL);
        }
        if (blankToNull(r.app()) == null) {
            b.app(baseName(r.command()));
        }
        return b.build();
    }

    private static String fallbackId(Map<String, String> headers, byte[] body) {
        String messageId = blankToNull(headers.get(MessageHeaders.MESSAGE_ID));
        if (messageId != null) {
            return MESSAGE_ID_PREFIX + messageId;
        }
        // Same body, same id: a redelivery without message-id still deduplicates.
        return BODY_HASH_PREFIX + sha256Hex(body).substring(0, 32);
    }

    private static Instant fallbackTs(LogRecord r, Map<String, String> headers) {
        if (r.time() != null) {
            Instant fromTime = Timestamps.fromEpochSeconds(r.time());
            if (fromTime != null) {
                return fromTime;
            }
        }
        String brokerMillis = blankToNull(headers.get(MessageHeaders.TIMESTAMP));
        if (brokerMillis != null) {
            try {
                long millis = Long.parseLong(brokerMillis.trim());
                if (millis > 0) {
                    return Instant.ofEpochMilli(millis);
                }
            } catch (NumberFormatException e) {
                // not ActiveMQ's timestamp; leave ts to the collector
            }
        }
        return null;
    }

    /** {@code /usr/local/bin/dcsc.py} gives {@code dcsc.py}; null for none. */
    static String baseName(String command) {
        String c = blankToNull(command);
        if (c == null) {
            return null;
        }
        String name = c.trim().split("\\s+", 2)[0];
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return blankToNull(name.substring(slash + 1));
    }

    private static String blankToNull(String s) {
        return s == null || s.trim().isEmpty() ? null : s;
    }

    private static String sha256Hex(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte x : digest) {
                hex.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
