package org.dqlog.core.appender;

import java.util.function.UnaryOperator;

import org.dqlog.core.LogRecord;
import org.dqlog.core.PanicFields;

/**
 * Adds the panic fields ({@code command}, {@code arguments}, {@code cwd}, {@code time},
 * {@code usrtime}, {@code traceback}) to a panic record on the sender's side, just before it is
 * encoded: the application thread only captured the event (and the call stack of a panic without
 * an exception, which only it knows). The process facts and the redaction rules are read on first
 * use, on a sender thread, never on the thread that starts the appender.
 *
 * <p>Thread-safe: the panic fields are made once, under a lock, then immutable.
 */
final class PanicDecoration implements UnaryOperator<LogRecord> {

    private final AppenderSettings settings;
    private volatile PanicFields fields;

    /** @param settings read for their redaction rules only, from the immutable shared settings */
    PanicDecoration(AppenderSettings settings) {
        this.settings = settings;
    }

    @Override
    public LogRecord apply(LogRecord record) {
        if (!record.panic() || record.command() != null) {
            return record;
        }
        LogRecord.Builder b = record.toBuilder();
        fields().addTo(b, record.ts(), record.exception(), null);
        if (!record.traceback().isEmpty()) {
            b.traceback(record.traceback()); // the call stack the logging thread captured
        }
        return b.build();
    }

    /** This process's panic fields, made on first use. */
    PanicFields fields() {
        PanicFields f = fields;
        if (f == null) {
            synchronized (this) {
                if (fields == null) {
                    fields = PanicFields.ofThisProcess(settings.redaction());
                }
                f = fields;
            }
        }
        return f;
    }
}
