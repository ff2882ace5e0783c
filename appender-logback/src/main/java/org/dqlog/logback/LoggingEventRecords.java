package org.dqlog.logback;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.appender.RecordFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Translates a Logback {@link ILoggingEvent} into the arguments of {@link RecordFactory#create}.
 * The MDC and the thread name come from the event, which Logback filled on the application
 * thread. Key-value pairs of SLF4J's fluent API ({@code log.atInfo().addKeyValue("run", 42)})
 * join the MDC, and win over an MDC entry of the same name because they belong to this record.
 * Logback has no FATAL level: an ERROR with a {@value #FATAL_MARKER} marker is a FATAL record.
 *
 * <p>Thread-safe: stateless apart from the thread-safe factory.
 */
final class LoggingEventRecords {

    /** Name of the marker that makes an ERROR record FATAL (SLF4J has no FATAL level). */
    static final String FATAL_MARKER = "FATAL";

    private final RecordFactory factory;

    LoggingEventRecords(RecordFactory factory) {
        this.factory = factory;
    }

    LogRecord toRecord(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        Map<String, String> mdc = new LinkedHashMap<>(event.getMDCPropertyMap());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                mdc.put(pair.key, String.valueOf(pair.value));
            }
        }
        // Behind an AsyncAppender this is Logback's worker thread, whose stack would mislead.
        boolean onLoggingThread = Thread.currentThread().getName().equals(event.getThreadName());
        return factory.create(event.getInstant(), level(event.getLevel(), markers), event.getLoggerName(),
                event.getThreadName(), event.getFormattedMessage(), mdc, exception(event.getThrowableProxy()),
                hasMarker(markers, RecordFactory.PANIC_MARKER), onLoggingThread);
    }

    static Level level(ch.qos.logback.classic.Level level, List<Marker> markers) {
        switch (level.toInt()) {
            case ch.qos.logback.classic.Level.ERROR_INT:
                return hasMarker(markers, FATAL_MARKER) ? Level.FATAL : Level.ERROR;
            case ch.qos.logback.classic.Level.WARN_INT:
                return Level.WARN;
            case ch.qos.logback.classic.Level.INFO_INT:
                return Level.INFO;
            case ch.qos.logback.classic.Level.DEBUG_INT:
                return Level.DEBUG;
            default:
                return Level.TRACE;
        }
    }

    /** A marker of that name, or one that references it. */
    static boolean hasMarker(List<Marker> markers, String name) {
        if (markers != null) {
            for (Marker m : markers) {
                if (m != null && m.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The original throwable when this JVM has it; else (a deserialized event) the proxy's text. */
    static ExceptionInfo exception(IThrowableProxy proxy) {
        if (proxy == null) {
            return null;
        }
        if (proxy instanceof ThrowableProxy && ((ThrowableProxy) proxy).getThrowable() != null) {
            return ExceptionInfo.of(((ThrowableProxy) proxy).getThrowable());
        }
        return new ExceptionInfo(proxy.getClassName(), proxy.getMessage(), ThrowableProxyUtil.asString(proxy));
    }
}
