package org.dqlog.core.appender;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.PanicFields;

/**
 * Captures what a logging framework knows about one event as an immutable record of the central
 * log, the same way for every appender, on the logging thread: the producer's host and app, the
 * formatted message, the MDC, the exception (captured, see {@link ExceptionInfo#of}) and, when the
 * event raises a panic (its level is at least {@code panicLevel}, or it carries a
 * {@link #PANIC_MARKER} marker) without an exception, the call stack of the logging thread. The
 * rest is added on the sender's side, off the application thread: the id and pid (by the sender)
 * and the panic fields ({@link PanicDecoration}). Appenders only translate their framework's event
 * into the arguments of {@link #create}.
 *
 * <p>Immutable, so thread-safe.
 */
public final class RecordFactory {

    /** Name of the marker that raises a panic whatever the level of the record. */
    public static final String PANIC_MARKER = "PANIC";
    /** Level from which a record raises a panic, unless the appender says otherwise. */
    public static final Level DEFAULT_PANIC_LEVEL = Level.ERROR;

    private final String host;
    private final String app;
    private final Level panicLevel;

    public RecordFactory(String host, String app, Level panicLevel) {
        this.host = host;
        this.app = app;
        this.panicLevel = Objects.requireNonNull(panicLevel, "panicLevel");
    }

    public Level panicLevel() {
        return panicLevel;
    }

    public String host() {
        return host;
    }

    public String app() {
        return app;
    }

    /** True if a record of {@code level}, with or without a PANIC marker, raises a panic. */
    public boolean isPanic(Level level, boolean panicMarker) {
        return panicMarker || level.isAtLeast(panicLevel);
    }

    /**
     * The record of one event, without id and pid (the sender fills them in) and, for a panic,
     * without the panic fields other than the call stack ({@link PanicDecoration} adds them).
     *
     * @param ts when the event happened (cut to microseconds)
     * @param exception the event's exception, or null
     * @param panicMarker true if the event carries a {@value #PANIC_MARKER} marker
     * @param onLoggingThread true if this is the thread that logged the event, so that its call
     *     stack is the traceback of a panic without an exception; false when the framework hands
     *     events to another thread (asynchronous loggers), whose stack would mislead
     */
    public LogRecord create(Instant ts, Level level, String logger, String thread, String message,
            Map<String, String> mdc, ExceptionInfo exception, boolean panicMarker,
            boolean onLoggingThread) {
        Instant at = ts.truncatedTo(ChronoUnit.MICROS);
        boolean panic = isPanic(level, panicMarker);
        // type stays Log for a panic: it is a log event that also raised a panic (docs/message-format.md).
        LogRecord.Builder b = LogRecord.builder()
                .type(LogRecord.TYPE_LOG).ts(at)
                .host(host).app(app)
                .level(level).logger(logger).thread(thread)
                .message(message == null ? "" : message)
                .mdc(mdc).exception(exception).panic(panic);
        if (panic && exception == null && onLoggingThread) {
            // only the logging thread knows its stack: captured here, the rest of the panic later
            b.traceback(PanicFields.tracebackOf(Thread.currentThread().getStackTrace()));
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "RecordFactory[" + host + "/" + app + ", panic from " + panicLevel + "]";
    }
}
