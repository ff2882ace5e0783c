package org.dqlog.collector;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dqlog.collector.ops.DeadLetter;
import org.dqlog.collector.ops.DeadLetterReason;
import org.dqlog.archive.HostNames;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.Redaction;
import org.dqlog.core.WireMessages;
import org.dqlog.core.stomp.FrameDamage;
import org.dqlog.core.subscribe.Delivery;

/**
 * Turns one received message into the record to archive, or into the dead letter to write
 * instead: a message the frame reader read past ({@link Delivery#damage()}) is {@code damaged} (its
 * body ran past its content-length) or {@code oversize} (over the frame limit, only its start
 * kept), a body over {@code maxMessageBytes} is {@code oversize} (not even parsed), a body that
 * {@link WireMessages#fromMessage} refuses is {@code undecodable}, and a record with nothing to
 * say (no {@code message}/{@code msg}, no exception, no traceback) is {@code missing-fields}.
 * Every record gets the collector's receive time {@code rts}, and {@code ts} falls back to it.
 *
 * <p>A batch ({@code MsgType:}{@value #TYPE_LOG_BATCH}, one record per line) is read line by line
 * under the same rules: each good line is a record, each bad line a dead letter of its own
 * (its {@code line} number set), so one bad line costs that line only.
 *
 * <p>Progress-topic messages are not records; archived, each becomes a record of host {@value
 * #PROGRESS_HOST} whose type is the message's {@code MsgType}, whose message is the body text
 * as sent, whose MDC holds the producer's own headers, and whose id is {@code msgid:} + the
 * broker's message-id (the identity rule of records without an id). A producer's record that
 * claims host {@value #PROGRESS_HOST} keeps its claim as {@value #CLAIMED_PREFIX}{@code <host>},
 * which files it under {@code _invalid-...}, never with the progress topic.
 *
 * <p>Immutable, so thread-safe.
 */
final class DeliveryDecoder {

    /** Host under which archived progress messages are filed: {@code logs/progress/}. */
    static final String PROGRESS_HOST = "progress";
    /** Header in which ActiveMQ names the authenticated sender, when the broker populates it. */
    static final String JMSX_USER_ID = "JMSXUserID";
    /** MDC key of the sender's user, as the broker (trusted to set it) says. */
    static final String BROKER_USER = "dqlog.brokerUser";
    /** MDC key of the sender's user when the brokers are not known to set it: a producer may have forged it. */
    static final String BROKER_USER_UNVERIFIED = "dqlog.brokerUserUnverified";
    /** Put before the host of a producer that claims to be {@value #PROGRESS_HOST}: {@value}. */
    static final String CLAIMED_PREFIX = "_claimed-";
    /** {@code MsgType} of a message on the logging queue that carries many records, one JSON line each. */
    static final String TYPE_LOG_BATCH = "LogBatch";
    /** Level of an archived progress message: news, not trouble. */
    private static final Level PROGRESS_LEVEL = Level.INFO;

    private final long maxMessageBytes;
    private final String progressDestination;
    private final Redaction panicRedaction;
    private final boolean trustBrokerUser;

    /**
     * @param progressDestination the progress topic, or null when it is not archived
     * @param panicRedaction      what hides the secrets in a panic's command line (command,
     *                            arguments, message), or null to keep panics as they came
     * @param trustBrokerUser     whether the brokers set {@code JMSXUserID} themselves: it is then
     *                            stored as {@value #BROKER_USER}, else as {@value #BROKER_USER_UNVERIFIED}
     */
    DeliveryDecoder(long maxMessageBytes, String progressDestination, Redaction panicRedaction, boolean trustBrokerUser) {
        this.trustBrokerUser = trustBrokerUser;
        this.maxMessageBytes = maxMessageBytes;
        this.progressDestination = progressDestination;
        this.panicRedaction = panicRedaction;
    }

    /** What became of one message: its records and its dead letters (a single record: exactly one of them). */
    static final class Decoded {
        final List<LogRecord> records;
        final List<DeadLetter> deadLetters;

        private Decoded(List<LogRecord> records, List<DeadLetter> deadLetters) {
            this.records = records;
            this.deadLetters = deadLetters;
        }

        private Decoded(LogRecord record, DeadLetter deadLetter) {
            this(record == null ? List.of() : List.of(record), deadLetter == null ? List.of() : List.of(deadLetter));
        }
    }

    /**
     * @param fromPanicQueue the message came from the panic subscription; its record is a panic
     *                       whatever it says itself (also when the panic queue is not the default one)
     */
    Decoded decode(Delivery delivery, boolean fromPanicQueue) {
        try {
            return decodeUnguarded(delivery, fromPanicQueue);
        } catch (RuntimeException | StackOverflowError e) {
            // A decoder bug, or an operator's redact pattern that recurses past the stack on one
            // body, must cost that message (a dead letter), not stop the pipeline: redelivered, it
            // would stop the next collector too.
            return poison(delivery, e);
        }
    }

    private Decoded decodeUnguarded(Delivery delivery, boolean fromPanicQueue) {
        Instant rts = delivery.receivedAt().truncatedTo(ChronoUnit.MICROS);
        byte[] body = delivery.body();
        FrameDamage damage = delivery.damage();
        if (damage != null) {
            DeadLetterReason reason = damage.kind() == FrameDamage.Kind.OVERSIZE ? DeadLetterReason.OVERSIZE
                    : DeadLetterReason.DAMAGED;
            return new Decoded(null, new DeadLetter(rts, delivery.broker().toString(), delivery.destination(),
                    delivery.headers(), reason, damage.detail(), body, damage.bodyBytes()));
        }
        if (body.length > maxMessageBytes) {
            return dead(delivery, rts, DeadLetterReason.OVERSIZE,
                    body.length + " bytes, more than maxMessageBytes " + maxMessageBytes);
        }
        if (!fromPanicQueue && progressDestination != null && progressDestination.equals(delivery.destination())) {
            return decodeProgress(delivery, rts);
        }
        if (TYPE_LOG_BATCH.equals(delivery.header(MessageHeaders.MSG_TYPE))) {
            return decodeBatch(delivery, rts, fromPanicQueue);
        }
        return decodeRecord(delivery, delivery.headers(), body, 0, rts, fromPanicQueue);
    }

    /**
     * A batch: each line on its own, as if it had come as a single record. A line keeps its own
     * {@code host} and {@code app} (the batch's headers only serve the brokers' selectors), so a
     * batch that mixes hosts is filed record by record, exactly as the same records sent singly.
     * A bad line is a dead letter of its own; the good lines around it are archived.
     */
    private Decoded decodeBatch(Delivery delivery, Instant rts, boolean fromPanicQueue) {
        List<BatchLines.Line> lines = BatchLines.of(delivery.body());
        if (lines.isEmpty()) {
            return dead(delivery, rts, DeadLetterReason.MISSING_FIELDS, "a LogBatch without a record");
        }
        List<LogRecord> records = new ArrayList<>(lines.size());
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (BatchLines.Line line : lines) {
            Decoded one = decodeRecord(delivery, lineHeaders(delivery, line.number()), line.bytes(), line.number(),
                    rts, fromPanicQueue);
            records.addAll(one.records);
            deadLetters.addAll(one.deadLetters);
        }
        return new Decoded(records, deadLetters);
    }

    /**
     * The headers a batch's line is read with: those the identity rules look at, as if the line had
     * come alone ({@code MsgType:Log}); its fallback message-id ({@code <message-id>#<line>}) is
     * stable across redeliveries and differs from line to line, so a line without an id of its own
     * is still one record, never merged with its neighbours.
     */
    private static Map<String, String> lineHeaders(Delivery delivery, int line) {
        Map<String, String> h = new HashMap<>(8);
        h.put(MessageHeaders.MSG_TYPE, LogRecord.TYPE_LOG);
        putIfSet(h, MessageHeaders.DESTINATION, delivery.header(MessageHeaders.DESTINATION));
        putIfSet(h, MessageHeaders.TIMESTAMP, delivery.header(MessageHeaders.TIMESTAMP));
        String messageId = delivery.messageId();
        if (messageId != null) {
            h.put(MessageHeaders.MESSAGE_ID, messageId + "#" + line);
        }
        return h;
    }

    private static void putIfSet(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    /** One record's body (a whole message, or line {@code line} of a batch) with the headers to read it by. */
    private Decoded decodeRecord(Delivery delivery, Map<String, String> headers, byte[] body, int line, Instant rts,
            boolean fromPanicQueue) {
        LogRecord record;
        try {
            record = WireMessages.fromMessage(headers, body);
        } catch (MalformedRecordException e) {
            return dead(delivery, rts, DeadLetterReason.UNDECODABLE, e.getMessage(), body, line);
        } catch (RuntimeException e) {
            // A decoder bug must cost one message, not the pipeline.
            return dead(delivery, rts, DeadLetterReason.UNDECODABLE, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    body, line);
        }
        if (record.message() == null && record.exception() == null && record.traceback().isEmpty()) {
            return dead(delivery, rts, DeadLetterReason.MISSING_FIELDS, "no message, msg, exception or traceback",
                    body, line);
        }
        LogRecord.Builder b = record.toBuilder().rts(rts);
        brokerUser(b, record, delivery.header(JMSX_USER_ID));
        if (PROGRESS_HOST.equals(HostNames.sanitize(record.host()))) {
            // the progress topic's folder is not a producer's to take: file the claim apart, visibly
            b.host(CLAIMED_PREFIX + record.host());
        }
        if (record.ts() == null) {
            b.ts(rts);
        }
        if (fromPanicQueue && !record.panic()) {
            b.panic(true);
        }
        if (panicRedaction != null && (fromPanicQueue || record.panic())) {
            // both copies of a panic (panic and logging queue) must read the same, whichever is archived
            b.command(panicRedaction.text(record.command())).arguments(panicRedaction.arguments(record.arguments()))
                    .message(panicRedaction.text(record.message()));
        }
        return new Decoded(b.build(), null);
    }

    /** A message the pipeline failed on again and again: its dead letter, whatever it holds. */
    Decoded poison(Delivery delivery, Throwable lastFailure) {
        return dead(delivery, delivery.receivedAt().truncatedTo(ChronoUnit.MICROS), DeadLetterReason.POISON,
                "failed " + lastFailure.getClass().getSimpleName() + ": " + lastFailure.getMessage());
    }

    /** The sender's user, under the key that says how far to trust it; a producer's own values of those keys never stay. */
    private void brokerUser(LogRecord.Builder b, LogRecord record, String user) {
        if (!record.mdc().containsKey(BROKER_USER) && !record.mdc().containsKey(BROKER_USER_UNVERIFIED)
                && (user == null || user.isBlank())) {
            return;
        }
        java.util.Map<String, String> mdc = new java.util.LinkedHashMap<>(record.mdc());
        mdc.remove(BROKER_USER);
        mdc.remove(BROKER_USER_UNVERIFIED);
        if (user != null && !user.isBlank()) {
            mdc.put(trustBrokerUser ? BROKER_USER : BROKER_USER_UNVERIFIED, user);
        }
        b.mdc(mdc);
    }

    private Decoded decodeProgress(Delivery delivery, Instant rts) {
        ProgressMessage message;
        try {
            message = ProgressMessage.fromMessage(delivery.headers(), delivery.body());
        } catch (MalformedRecordException e) {
            return dead(delivery, rts, DeadLetterReason.UNDECODABLE, e.getMessage());
        }
        String messageId = delivery.messageId();
        String id = messageId != null && !messageId.isBlank() ? WireMessages.MESSAGE_ID_PREFIX + messageId
                : WireMessages.BODY_HASH_PREFIX + sha256Hex(delivery.body());
        Map<String, String> own = message.headers();
        LogRecord record = LogRecord.builder()
                .id(id)
                .type(message.type())
                .ts(brokerTime(delivery, rts))
                .rts(rts)
                .host(PROGRESS_HOST)
                .app(own.get(MessageHeaders.APP))
                .level(PROGRESS_LEVEL)
                .logger(delivery.destination())
                .message(message.body())
                .mdc(own)
                .build();
        return new Decoded(record, null);
    }

    /** The broker's {@code timestamp} (epoch ms, stable across redeliveries), else the receive time. */
    private static Instant brokerTime(Delivery delivery, Instant rts) {
        String millis = delivery.header(MessageHeaders.TIMESTAMP);
        if (millis != null) {
            try {
                long ms = Long.parseLong(millis.trim());
                if (ms > 0) {
                    return Instant.ofEpochMilli(ms);
                }
            } catch (NumberFormatException e) {
                // not ActiveMQ's timestamp: fall back to the receive time
            }
        }
        return rts;
    }

    private static Decoded dead(Delivery d, Instant rts, DeadLetterReason reason, String detail) {
        return dead(d, rts, reason, detail, d.body(), 0);
    }

    /** The dead letter of the whole message ({@code line} 0) or of line {@code line} of a batch, whose bytes {@code body} are. */
    private static Decoded dead(Delivery d, Instant rts, DeadLetterReason reason, String detail, byte[] body, int line) {
        String where = line == 0 ? detail : "line " + line + ": " + detail;
        return new Decoded(null, new DeadLetter(rts, d.broker().toString(), d.destination(), d.headers(), reason,
                where, body, body.length, line));
    }

    private static String sha256Hex(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            StringBuilder hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

}
