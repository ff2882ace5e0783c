package org.dqlog.core.appender;

import java.util.Objects;

import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.publish.AsyncSender;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.core.publish.ThrottledStatus;

/**
 * What every dqlog appender runs behind its framework's API: a {@link RecordFactory} that makes
 * records of events, and the {@link AsyncSender} that delivers them (queue, spool, failover,
 * receipts, drop policy, the WARN record about dropped records). Appenders stay thin shells:
 * they translate events and map {@link Status} to their framework's status channel.
 *
 * <p>Thread-safe: {@link #submit} may be called from any number of threads, also concurrently
 * with {@link #close()} (records submitted after it are refused and counted by the sender).
 */
public final class AppenderBackend implements AutoCloseable {

    private final RecordFactory records;
    private final ThrottledStatus failureReports;
    private final AsyncSender sender;

    private AppenderBackend(RecordFactory records, ThrottledStatus failureReports, AsyncSender sender) {
        this.records = records;
        this.failureReports = failureReports;
        this.sender = sender;
    }

    /**
     * Starts the sender (its thread connects in the background, so this never waits for a
     * broker). The sender reports its trouble to {@code status}, each kind at most once per
     * {@link SenderConfig#statusInterval()}. Light on the calling thread, which is the one that
     * configures logging, often the application's first logging call: no name look-up, no file,
     * no process facts, no {@code SecureRandom}; those happen on the sender's threads.
     *
     * @throws IllegalArgumentException when the settings have {@link AppenderSettings#problems()}
     */
    public static AppenderBackend start(AppenderSettings settings, Status status) {
        SenderConfig config = settings.senderConfig();
        RecordFactory records = new RecordFactory(config.host(), config.app(), settings.panicLevel());
        for (String warning : settings.securityWarnings()) {
            status.warn("dqlog: " + warning, null);
        }
        AsyncSender sender = AsyncSender.start(config, Objects.requireNonNull(status, "status"),
                new PanicDecoration(settings));
        return new AppenderBackend(records, new ThrottledStatus(status, config.statusInterval()), sender);
    }

    /** Makes the records of events. */
    public RecordFactory records() {
        return records;
    }

    /**
     * Reports that an event could not be turned into a record (a bug, or a hostile
     * {@code toString()}), at most once per status interval with a count of the others.
     */
    public void reportConversionFailure(Throwable failure) {
        failureReports.error("dqlog: a log event could not be converted and was not sent: " + failure, failure);
    }

    public SenderConfig config() {
        return sender.config();
    }

    /** The sender, for its statistics. */
    public AsyncSender sender() {
        return sender;
    }

    /** Hands a record to the sender; never blocks, never throws; false if it was refused (and counted). */
    public boolean submit(LogRecord record) {
        return sender.submit(record);
    }

    /** Delivers or spools what is queued, within the configured shutdown timeout; idempotent. */
    @Override
    public void close() {
        sender.close();
    }

    @Override
    public String toString() {
        return "AppenderBackend[" + records + ", " + sender + "]";
    }
}
