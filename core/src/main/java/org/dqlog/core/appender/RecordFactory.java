package org.dqlog.core.appender;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.PanicFields;

/**
 * Turns what a logging framework knows about one event into a record of the central log, the
 * same way for every appender: a fresh id, the producer's host, app and pid, and, when the event
 * raises a panic (its level is at least {@code panicLevel}, or it carries a {@link #PANIC_MARKER}
 * marker), the panic fields. Appenders only translate their framework's event into the
 * arguments of {@link #create}.
 *
 * <p>Thread-safe: ids come from a thread-safe sequence, everything else is immutable.
 */
public final class RecordFactory {

    /** Name of the marker that raises a panic whatever the level of the record. */
    public static final String PANIC_MARKER = "PANIC";
    /** Level from which a record raises a panic, unless the appender says otherwise. */
    public static final Level DEFAULT_PANIC_LEVEL = Level.ERROR;

    private final Supplier<String> ids;
    private final String host;
    private final String app;
    private final long pid;
    private final Level panicLevel;
    private final PanicFields panicFields;

    /** @param ids record ids, such as a sender's {@code nextId} (thread-safe) */
    public RecordFactory(Supplier<String> ids, String host, String app, long pid, Level panicLevel,
            PanicFields panicFields) {
        this.ids = Objects.requireNonNull(ids, "ids");
        this.host = host;
        this.app = app;
        this.pid = pid;
        this.panicLevel = Objects.requireNonNull(panicLevel, "panicLevel");
        this.panicFields = Objects.requireNonNull(panicFields, "panicFields");
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
     * The record of one event.
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
                .id(ids.get()).type(LogRecord.TYPE_LOG).ts(at)
                .host(host).app(app).pid(pid)
                .level(level).logger(logger).thread(thread)
                .message(message == null ? "" : message)
                .mdc(mdc).exception(exception).panic(panic);
        if (panic) {
            StackTraceElement[] callStack = exception == null && onLoggingThread
                    ? Thread.currentThread().getStackTrace() : null;
            panicFields.addTo(b, at, exception, callStack);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "RecordFactory[" + host + "/" + app + ", panic from " + panicLevel + "]";
    }
}
