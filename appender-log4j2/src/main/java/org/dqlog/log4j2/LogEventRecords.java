package org.dqlog.log4j2;

import java.time.Instant;
import java.util.Map;

import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.ThrowableProxy;
import org.apache.logging.log4j.message.Message;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.appender.RecordFactory;

/**
 * Translates a Log4j {@link LogEvent} into the arguments of {@link RecordFactory#create}. Runs
 * synchronously in {@code append}, so a mutable event (asynchronous loggers reuse them) is read
 * before Log4j recycles it. ThreadContext and the thread name come from the event, where Log4j
 * captured them on the application thread.
 *
 * <p>Thread-safe: stateless apart from the thread-safe factory.
 */
final class LogEventRecords {

    private final RecordFactory factory;

    LogEventRecords(RecordFactory factory) {
        this.factory = factory;
    }

    LogRecord toRecord(LogEvent event) {
        org.apache.logging.log4j.core.time.Instant t = event.getInstant();
        Instant ts = Instant.ofEpochSecond(t.getEpochSecond(), t.getNanoOfSecond());
        Message message = event.getMessage();
        Map<String, String> mdc = event.getContextData().toMap();
        // Asynchronous loggers call appenders from their own thread, whose stack would mislead.
        boolean onLoggingThread = event.getThreadId() == Thread.currentThread().getId();
        return factory.create(ts, level(event.getLevel()), event.getLoggerName(), event.getThreadName(),
                message == null ? "" : message.getFormattedMessage(), mdc, exception(event),
                hasPanicMarker(event.getMarker()), onLoggingThread);
    }

    /** Log4j's levels by severity; custom levels fall in with the standard level below them. */
    static Level level(org.apache.logging.log4j.Level level) {
        int severity = level.intLevel();
        if (severity <= org.apache.logging.log4j.Level.FATAL.intLevel()) {
            return Level.FATAL;
        } else if (severity <= org.apache.logging.log4j.Level.ERROR.intLevel()) {
            return Level.ERROR;
        } else if (severity <= org.apache.logging.log4j.Level.WARN.intLevel()) {
            return Level.WARN;
        } else if (severity <= org.apache.logging.log4j.Level.INFO.intLevel()) {
            return Level.INFO;
        } else if (severity <= org.apache.logging.log4j.Level.DEBUG.intLevel()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    /** A PANIC marker, or a marker with PANIC among its parents. */
    static boolean hasPanicMarker(Marker marker) {
        return marker != null && marker.isInstanceOf(RecordFactory.PANIC_MARKER);
    }

    private static ExceptionInfo exception(LogEvent event) {
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            return ExceptionInfo.of(thrown);
        }
        // A deserialized event (socket server) has only the proxy.
        ThrowableProxy proxy = event.getThrownProxy();
        return proxy == null ? null
                : new ExceptionInfo(proxy.getName(), proxy.getMessage(), proxy.getExtendedStackTraceAsString(""));
    }
}
