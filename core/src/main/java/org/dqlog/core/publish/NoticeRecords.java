package org.dqlog.core.publish;

import java.time.Instant;
import java.util.function.Supplier;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolEntry;

/**
 * The WARN records a sender writes into the central log about its own trouble, so that a gap or
 * a refused message shows where operators look: dropped records (logger
 * {@value SenderConfig#DROPPED_RECORDS_LOGGER}) and messages a broker refused (logger
 * {@value #REFUSED_LOGGER}).
 *
 * <p>Thread-safe: immutable apart from the id supplier, which must be thread-safe.
 */
final class NoticeRecords {

    /** Logger name of the record about a message a broker refused. */
    static final String REFUSED_LOGGER = "org.dqlog.refused";

    private final Supplier<String> ids;
    private final String host;
    private final String app;
    private final RecordEncoder encoder;

    NoticeRecords(Supplier<String> ids, String host, String app, RecordEncoder encoder) {
        this.ids = ids;
        this.host = host;
        this.app = app;
        this.encoder = encoder;
    }

    /** Says how many of each level were dropped between which times, and why. */
    SpoolEntry dropReport(DropCounter.Snapshot dropped, String where) {
        LogRecord.Builder report = warn(SenderConfig.DROPPED_RECORDS_LOGGER)
                .message("dqlog " + dropped + where + ", because memory was full and the disk spool was full or"
                        + " unusable; they never reached a broker")
                .putMdc("dropped", Long.toString(dropped.total()))
                .putMdc("dropped.first", String.valueOf(dropped.firstDrop()))
                .putMdc("dropped.last", String.valueOf(dropped.lastDrop()));
        for (Level level : Level.values()) {
            if (dropped.count(level) > 0) {
                report.putMdc("dropped." + level.name(), Long.toString(dropped.count(level)));
            }
        }
        if (dropped.panics() > 0) {
            report.putMdc("dropped.panics", Long.toString(dropped.panics()));
        }
        return entry(report.build());
    }

    /** Says that a broker refused the record {@code refusedId} for good, why, and where it was kept. */
    SpoolEntry refused(String refusedId, String destination, String reason, String keptIn) {
        LogRecord r = warn(REFUSED_LOGGER)
                .message("dqlog: a broker refused record " + refusedId + " for " + destination + " (" + reason + "); "
                        + keptIn)
                .putMdc("refused.id", refusedId)
                .putMdc("refused.destination", destination)
                .build();
        return entry(r);
    }

    private LogRecord.Builder warn(String logger) {
        return LogRecord.builder().id(ids.get()).type(LogRecord.TYPE_LOG).ts(Instant.now()).host(host).app(app)
                .pid(ProcessInfo.pid()).level(Level.WARN).logger(logger).thread(Thread.currentThread().getName());
    }

    private SpoolEntry entry(LogRecord r) {
        return SpoolEntry.wrap(r.id(), Level.WARN, false, encoder.encode(r));
    }
}
