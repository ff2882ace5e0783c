package org.dqlog.core.publish;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.RecordIds;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.spool.SpoolEntry;

/**
 * The two halves of taking a record, split between the threads as the peers split them (Log4j's
 * and Logback's asynchronous appenders only enqueue on the application thread):
 *
 * <ul>
 * <li>{@link #capture} runs on the application thread: it stamps the time of the call if the
 *     record has none and wraps the (immutable) record in a {@link SpoolEntry#captured captured
 *     entry}, counted in memory by {@link #estimateBytes}. No id, no JSON, no process facts.</li>
 * <li>the encoding runs later, once, on whichever sender-side thread first needs the bytes (the
 *     spill thread writing to the spool, the sender making its message; only when memory is full
 *     does an application thread append, and so encode, itself): it fills in what the record
 *     lacks (id, host, app, pid), applies the decoration (an appender adds its panic fields
 *     there), and encodes with the {@link RecordEncoder}.</li>
 * </ul>
 *
 * <p>The instance id of the record ids (a {@code SecureRandom}) is made on first use, which the
 * sender thread does first thing: never on the thread that starts the sender.
 *
 * <p>Thread-safe.
 */
final class RecordCapture {

    /** What a captured record holds besides its texts (object headers, time, boxed numbers, list and map nodes). */
    static final int RECORD_OVERHEAD_BYTES = 256;
    /** Per MDC entry and list item, besides its text. */
    private static final int ITEM_OVERHEAD_BYTES = 32;

    private final SenderConfig config;
    private final RecordEncoder encoder;
    private final UnaryOperator<LogRecord> decoration;
    private final ThrottledStatus failureReports;
    private final Object idsLock = new Object();
    private volatile RecordIds ids;

    RecordCapture(SenderConfig config, RecordEncoder encoder, UnaryOperator<LogRecord> decoration, Status status) {
        this.config = config;
        this.encoder = encoder;
        this.decoration = decoration;
        this.failureReports = new ThrottledStatus(status, config.statusInterval());
    }

    /** For application threads: the record as a captured entry; cheap, never encodes. */
    SpoolEntry capture(LogRecord record) {
        LogRecord r = record.ts() != null ? record : record.toBuilder().ts(Instant.now()).build();
        Level level = r.level() != null ? r.level()
                : r.panic() ? WireMessages.DEFAULT_PANIC_LEVEL : WireMessages.DEFAULT_LEVEL;
        return SpoolEntry.captured(level, r.panic(), estimateBytes(r), new Pending(r, level));
    }

    /** A fresh record id of this instance. */
    String nextId() {
        return ids().next();
    }

    /** The instance's ids, made on first use. */
    RecordIds ids() {
        RecordIds i = ids;
        if (i == null) {
            synchronized (idsLock) {
                if (ids == null) {
                    ids = new RecordIds();
                }
                i = ids;
            }
        }
        return i;
    }

    /**
     * What a captured record holds in memory, about: its texts, each character by the bytes it
     * takes in the JSON body (UTF-8, escapes), and a fixed overhead; at least what it holds as
     * Java text and the order of its JSON body, without encoding it.
     */
    static long estimateBytes(LogRecord r) {
        long n = RECORD_OVERHEAD_BYTES + length(r.id()) + length(r.host()) + length(r.app()) + length(r.logger())
                + length(r.thread()) + length(r.message()) + length(r.command()) + length(r.cwd())
                + length(r.usrtime());
        for (Map.Entry<String, String> e : r.mdc().entrySet()) {
            n += ITEM_OVERHEAD_BYTES + length(e.getKey()) + length(e.getValue());
        }
        ExceptionInfo x = r.exception();
        if (x != null) {
            n += length(x.className()) + length(x.message()) + x.stackTraceLength();
        }
        return n + lengths(r.traceback()) + lengths(r.arguments());
    }

    private static long lengths(List<String> items) {
        long n = 0;
        for (String s : items) {
            n += ITEM_OVERHEAD_BYTES + length(s);
        }
        return n;
    }

    /** At most the bytes {@code s} takes in the JSON body: one scan, no encoding. */
    private static long length(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += jsonBytes(s.charAt(i));
        }
        return n;
    }

    /** A character's bytes in the JSON body, at most: a control character, escaped as a backslash, u and four hex digits, takes six. */
    private static int jsonBytes(char c) {
        if (c < 0x20) {
            return 6;
        }
        if (c == '"' || c == '\\') {
            return 2;
        }
        return c < 0x80 ? 1 : c < 0x800 ? 2 : 3; // a surrogate pair: 3 + 3 for UTF-8's 4
    }

    /**
     * Sender side: the record completed, decorated and encoded. Total: a record that cannot be
     * encoded, whatever the reason (a decoration or encoder throwing, an {@link Error} such as a
     * {@code StackOverflowError} from a deep cause chain included, an id too long for the spool),
     * travels as a note saying so, under its own id if usable, else a fresh one; it never vanishes
     * from the thread that encodes it.
     */
    SpoolEntry encode(LogRecord captured, Level level) {
        LogRecord r = captured;
        try {
            r = completed(captured);
            return SpoolEntry.wrap(r.id(), level, r.panic(), encoder.encode(decoration.apply(r)));
        } catch (Throwable e) { // an Error too: the thread must keep the record and go on
            reportQuietly(e);
            return note(r, level, e);
        }
    }

    /** The note sent in place of a record that could not be encoded: its id (or a fresh one), level, logger and thread. */
    private SpoolEntry note(LogRecord r, Level level, Throwable cause) {
        String id = r.id() != null && r.id().length() <= SpoolEntry.MAX_ID_CHARS ? r.id() : nextId();
        String text = "[dqlog: this record could not be encoded: " + cause.getClass().getName() + "]";
        try {
            LogRecord note = LogRecord.builder().id(id).type(LogRecord.TYPE_LOG).ts(r.ts())
                    .host(r.host() != null ? r.host() : config.host()).app(r.app() != null ? r.app() : config.app())
                    .pid(ProcessInfo.pid()).level(level).logger(r.logger()).thread(r.thread())
                    .panic(r.panic()).message(text).build();
            return SpoolEntry.wrap(id, level, r.panic(), encoder.encode(note));
        } catch (Throwable again) { // the logger or thread name itself cannot be encoded: only what this sender made
            LogRecord bare = LogRecord.builder().id(id).type(LogRecord.TYPE_LOG).ts(r.ts()).host(config.host())
                    .app(config.app()).pid(ProcessInfo.pid()).level(level).panic(r.panic()).message(text).build();
            return SpoolEntry.wrap(id, level, r.panic(), encoder.encode(bare));
        }
    }

    private void reportQuietly(Throwable e) {
        try {
            failureReports.warn("dqlog: a record could not be encoded; a note with its id, level and logger is sent"
                    + " in its place: " + e.getClass().getName(), e);
        } catch (Throwable ignored) {
            // the status channel failed too (a StackOverflowError printing the cause): the note still goes
        }
    }

    private LogRecord completed(LogRecord r) {
        if (r.id() != null && r.host() != null && r.app() != null && r.pid() != null) {
            return r;
        }
        LogRecord.Builder b = r.toBuilder();
        if (r.id() == null) {
            b.id(nextId());
        }
        if (r.host() == null) {
            b.host(config.host());
        }
        if (r.app() == null) {
            b.app(config.app());
        }
        if (r.pid() == null) {
            b.pid(ProcessInfo.pid());
        }
        return b.build();
    }

    /** A captured record waiting for its encoding. */
    private final class Pending implements SpoolEntry.Encoding {
        private final LogRecord record;
        private final Level level;

        Pending(LogRecord record, Level level) {
            this.record = record;
            this.level = level;
        }

        @Override
        public SpoolEntry encode() {
            return RecordCapture.this.encode(record, level);
        }
    }
}
