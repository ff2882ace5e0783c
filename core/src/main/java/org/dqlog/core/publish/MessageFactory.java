package org.dqlog.core.publish;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.WireMessages;
import org.dqlog.core.spool.SpoolEntry;

/**
 * Turns queued or spooled entries into SENDs: each record to the logging destination and, if it
 * is a panic, also to the panic destination (same body, same id). A spooled entry keeps only id,
 * level and panic flag besides its body, so the selector headers {@code host} and {@code app}
 * are the sender's, made once per level; a drain of another application's spool
 * ({@link #readingHeadersFromBodies}) reads them from each body instead, so that selectors keep
 * working for records a sibling sends.
 *
 * <p>Immutable, so thread-safe.
 */
public final class MessageFactory {

    private static final Level[] LEVELS = Level.values();

    private final String loggingDestination;
    private final String panicDestination;
    private final Map<String, String> extraHeaders;
    private final Map<String, String>[] loggingHeaders;
    private final Map<String, String>[] panicHeaders;
    private final boolean headersFromBodies;

    private MessageFactory(String host, String app, String loggingDestination, String panicDestination,
                           Map<String, String> extraHeaders, boolean headersFromBodies) {
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
                config.extraHeaders(), false);
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
                Collections.emptyMap(), true);
    }

    /** The SENDs of {@code entries}, in order; {@code owners} receives, per message, the index of its entry. */
    public List<OutboundMessage> messages(List<SpoolEntry> entries, List<Integer> owners) {
        List<OutboundMessage> out = new ArrayList<>(entries.size() + 4);
        for (int i = 0; i < entries.size(); i++) {
            SpoolEntry e = entries.get(i);
            byte[] body = e.copyOfBody();
            out.add(OutboundMessage.of(loggingDestination, headers(e, body, false), body));
            owners.add(i);
            if (e.isPanic()) {
                out.add(OutboundMessage.of(panicDestination, headers(e, body, true), body));
                owners.add(i);
            }
        }
        return out;
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
