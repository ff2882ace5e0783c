package org.dqlog.core.publish;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.WireMessages;
import org.dqlog.core.spool.SpoolEntry;

/**
 * Turns queued or spooled entries into SENDs: the records to the logging destination and each
 * panic also to the panic destination (same body, same id), alone. With batching on (the default),
 * several records for the logging destination travel as one {@value #LOG_BATCH} message: the
 * body is their JSON bodies, one per line, each line ending in a newline, at most
 * {@value #BATCH_MAX_BYTES} bytes; every record of a batch has the same {@code host} and
 * {@code app}; the {@code level} header is the highest level inside. A lone record, and one larger
 * than the cap, travels as a single {@code Log} message as before. A spooled entry keeps only id,
 * level and panic flag besides its body, so the selector headers {@code host} and {@code app}
 * are the sender's, made once per level; a drain of another application's spool
 * ({@link #readingHeadersFromBodies}) reads them from each body instead, so that selectors keep
 * working for records a sibling sends.
 *
 * <p>Immutable, so thread-safe.
 */
public final class MessageFactory {

    /** {@code MsgType} of a message that carries several records as JSON lines. */
    public static final String LOG_BATCH = "LogBatch";
    /**
     * Largest body of a {@value #LOG_BATCH} message: 256 KiB, a quarter of the collector's frame
     * limit, yet enough for about a thousand ordinary records, which makes the broker's cost per
     * message small against the records it carries.
     */
    public static final int BATCH_MAX_BYTES = 256 * 1024;

    private static final Level[] LEVELS = Level.values();

    private final String loggingDestination;
    private final String panicDestination;
    private final Map<String, String> extraHeaders;
    private final Map<String, String>[] loggingHeaders;
    private final Map<String, String>[] panicHeaders;
    private final boolean headersFromBodies;
    private final String host;
    private final String app;
    private final boolean batching;

    private MessageFactory(String host, String app, String loggingDestination, String panicDestination,
                           Map<String, String> extraHeaders, boolean headersFromBodies, boolean batching) {
        this.host = host;
        this.app = app;
        this.batching = batching;
        this.loggingDestination = loggingDestination;
        this.panicDestination = panicDestination;
        this.extraHeaders = extraHeaders;
        this.loggingHeaders = headersPerLevel(host, app, false);
        this.panicHeaders = headersPerLevel(host, app, true);
        this.headersFromBodies = headersFromBodies;
    }

    /** Messages of a sender with this configuration. */
    public static MessageFactory of(SenderConfig config) {
        return new MessageFactory(config.host(), config.app(), config.loggingDestination(), config.panicDestination(),
                config.extraHeaders(), false, config.batching());
    }

    /** This factory with batching on or off. */
    public MessageFactory batching(boolean value) {
        return new MessageFactory(host, app, loggingDestination, panicDestination, extraHeaders, headersFromBodies, value);
    }

    /**
     * Messages to the default destinations whose {@code host} and {@code app} headers come from
     * each record's body (falling back to the given ones): for draining a spool that another
     * application left.
     */
    public static MessageFactory readingHeadersFromBodies(String fallbackHost, String fallbackApp) {
        return readingHeadersFromBodies(fallbackHost, fallbackApp, Destinations.LOGGING, Destinations.PANIC);
    }

    /** {@link #readingHeadersFromBodies(String, String)} to other destinations (an application's own queues). */
    public static MessageFactory readingHeadersFromBodies(String fallbackHost, String fallbackApp,
                                                          String loggingDestination, String panicDestination) {
        return new MessageFactory(fallbackHost, fallbackApp, loggingDestination, panicDestination,
                Collections.emptyMap(), true, false);
    }

    /**
     * The SENDs of {@code entries}, in order; {@code owners} receives, per message, the indexes of
     * the entries it carries.
     */
    public List<OutboundMessage> messages(List<SpoolEntry> entries, List<int[]> owners) {
        List<OutboundMessage> out = new ArrayList<>(entries.size() + 4);
        BatchBuilder batch = new BatchBuilder();
        for (int i = 0; i < entries.size(); i++) {
            SpoolEntry e = entries.get(i);
            byte[] body = e.copyOfBody();
            Map<String, String> headers = headers(e, body, false);
            if (!batching || body.length + 1 > BATCH_MAX_BYTES) {
                out.add(OutboundMessage.of(loggingDestination, headers, body));
                owners.add(new int[] {i});
            } else {
                if (!batch.fits(headers, body)) {
                    batch.flushTo(out, owners);
                }
                batch.add(i, e.level(), headers, body);
            }
            if (e.isPanic()) {
                out.add(OutboundMessage.of(panicDestination, headers(e, body, true), body));
                owners.add(new int[] {i});
            }
        }
        batch.flushTo(out, owners);
        return out;
    }

    /** Records gathered for one logging message: one host and app, at most {@link #BATCH_MAX_BYTES}. */
    private final class BatchBuilder {
        private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
        private final List<Integer> indexes = new ArrayList<>();
        private Map<String, String> headers;
        private byte[] onlyBody;
        private Level highest;

        boolean fits(Map<String, String> next, byte[] body) {
            return headers == null || (sameSource(headers, next) && lines.size() + body.length + 1 <= BATCH_MAX_BYTES);
        }

        void add(int index, Level level, Map<String, String> recordHeaders, byte[] body) {
            if (headers == null) {
                headers = recordHeaders;
                onlyBody = body;
            }
            if (highest == null || level.ordinal() > highest.ordinal()) {
                highest = level;
                headers = recordHeaders; // same host and app as the others; its level is the batch's
            }
            lines.write(body, 0, body.length);
            lines.write('\n');
            indexes.add(index);
        }

        void flushTo(List<OutboundMessage> out, List<int[]> owners) {
            if (indexes.isEmpty()) {
                return;
            }
            if (indexes.size() == 1) {
                out.add(OutboundMessage.of(loggingDestination, headers, onlyBody)); // alone: an ordinary single record
            } else {
                Map<String, String> h = new LinkedHashMap<>(headers);
                h.put(MessageHeaders.MSG_TYPE, LOG_BATCH);
                out.add(OutboundMessage.of(loggingDestination, h, lines.toByteArray()));
            }
            owners.add(indexes.stream().mapToInt(Integer::intValue).toArray());
            lines.reset();
            indexes.clear();
            headers = null;
            onlyBody = null;
            highest = null;
        }
    }

    private static boolean sameSource(Map<String, String> a, Map<String, String> b) {
        return Objects.equals(a.get(MessageHeaders.HOST), b.get(MessageHeaders.HOST))
                && Objects.equals(a.get(MessageHeaders.APP), b.get(MessageHeaders.APP));
    }

    private Map<String, String> headers(SpoolEntry e, byte[] body, boolean panicCopy) {
        Map<String, String> own = (panicCopy ? panicHeaders : loggingHeaders)[e.level().ordinal()];
        if (!headersFromBodies) {
            return own;
        }
        try {
            LogRecord record = RecordCodec.decode(body);
            return build(record.host(), record.app(), e.level(), panicCopy);
        } catch (MalformedRecordException | RuntimeException ex) {
            return own; // the collector files it under what the body says, or dead-letters it
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, String>[] headersPerLevel(String host, String app, boolean panicCopy) {
        Map<String, String>[] result = new Map[LEVELS.length];
        for (Level level : LEVELS) {
            result[level.ordinal()] = build(host, app, level, panicCopy);
        }
        return result;
    }

    private Map<String, String> build(String host, String app, Level level, boolean panicCopy) {
        LogRecord template = LogRecord.builder().type(LogRecord.TYPE_LOG).host(host).app(app).level(level).build();
        Map<String, String> h = new LinkedHashMap<>(
                WireMessages.sendHeaders(template, panicCopy ? Destinations.PANIC : Destinations.LOGGING));
        for (Map.Entry<String, String> extra : extraHeaders.entrySet()) {
            h.putIfAbsent(extra.getKey(), extra.getValue());
        }
        return Collections.unmodifiableMap(h);
    }
}
