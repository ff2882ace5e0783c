package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.dqlog.core.Destinations;
import org.dqlog.core.RecordIds;
import org.dqlog.core.Status;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolBatch;
import org.dqlog.core.spool.SpoolEntry;

/**
 * Sends what waits in a spool now, through a {@link Publisher}: for {@code dqlog spool drain DIR},
 * and for a sender that drains the spools its siblings or dead processes left. Panics first (the
 * spool hands back its highest class first); a message a broker refuses for good goes to the
 * dead-letter file beside that spool and a WARN record says so; the spool's drop count (also
 * that of the process that left it) is reported by a WARN record and then cleared. Records keep
 * their own {@code host}/{@code app} selector headers, read from each body.
 *
 * <pre>{@code
 * try (Publisher publisher = Publisher.fromSettings(settings, status)) {
 *     SpoolDrainer.Result r = new SpoolDrainer(publisher, status, host, app).drain(dir, Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread per drainer.
 */
public final class SpoolDrainer {

    /** Records per SEND batch of a drain. */
    public static final int BATCH_MAX_RECORDS = SenderConfig.DEFAULT_BATCH_MAX_RECORDS;

    private final Publisher publisher;
    private final Status status;
    private final NoticeRecords notices;
    private final String host;
    private final String app;
    private final String loggingDestination;
    private final String panicDestination;
    private boolean batching;

    /**
     * @param host the host named in this drainer's own WARN records (drops, refusals)
     * @param app the application named in them
     */
    public SpoolDrainer(Publisher publisher, Status status, String host, String app) {
        this(publisher, status, host, app, Destinations.LOGGING, Destinations.PANIC);
    }

    /** A drainer to other queues than the standard ones, for applications configured with their own. */
    public SpoolDrainer(Publisher publisher, Status status, String host, String app, String loggingDestination,
                        String panicDestination) {
        this.publisher = publisher;
        this.status = status;
        this.host = host;
        this.app = app;
        this.loggingDestination = loggingDestination;
        this.panicDestination = panicDestination;
        this.notices = new NoticeRecords(new RecordIds()::next, host, app,
                new RecordEncoder(SenderConfig.DEFAULT_MAX_RECORD_BYTES));
    }

    /** True: several records travel as one {@code LogBatch} message (see {@link MessageFactory}); default false. */
    public SpoolDrainer batching(boolean value) {
        this.batching = value;
        return this;
    }

    /**
     * Opens the spool in {@code directory} (it must not be in use: the lock says so), sends
     * everything in it within {@code timeLimit}, and closes it.
     *
     * @throws org.dqlog.core.spool.SpoolLockedException if a running process holds it
     * @throws PublishException if no broker confirmed a batch (what is left stays in the spool)
     * @throws IOException if the spool cannot be opened or read
     */
    public Result drain(Path directory, Duration timeLimit) throws IOException {
        try (DiskSpool spool = DiskSpool.open(directory, Long.MAX_VALUE, new DropCounter(), status)) {
            return drain(spool, timeLimit, () -> false);
        }
    }

    /**
     * Sends what {@code spool} holds until it is empty, {@code timeLimit} passed, or {@code stop}
     * says so (checked between batches).
     *
     * @throws PublishException if no broker confirmed a batch (it is given back to the spool)
     */
    public Result drain(DiskSpool spool, Duration timeLimit, BooleanSupplier stop) throws IOException {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        EntryPublisher sender = new EntryPublisher(publisher, MessageFactory.readingHeadersFromBodies(host, app, loggingDestination, panicDestination).batching(batching),
                notices, () -> DeadLetterFile.besideSpool(spool.directory()), status, ThrottledStatus.DEFAULT_INTERVAL);
        long sent = 0;
        long dropsReported = 0;
        DropCounter.Snapshot dropped = spool.drops().snapshot();
        if (!dropped.isEmpty()) {
            SpoolEntry report = notices.dropReport(dropped, " (reported from the spool " + spool.directory() + ")");
            sender.publish(List.of(report), remaining(deadline));
            spool.drops().subtract(dropped);
            dropsReported = dropped.total();
        }
        while (!stop.getAsBoolean() && System.nanoTime() - deadline < 0) {
            SpoolBatch batch = spool.readBatch(BATCH_MAX_RECORDS, SenderConfig.DEFAULT_BATCH_MAX_BYTES);
            if (batch == null) {
                break;
            }
            List<SpoolEntry> announcements;
            long refusedBefore = sender.refused();
            try {
                announcements = sender.publish(batch.entries(), remaining(deadline));
            } catch (PublishException e) {
                spool.giveBack(batch);
                throw e;
            }
            spool.commit(batch);
            sent += batch.size() - (sender.refused() - refusedBefore);
            if (!announcements.isEmpty()) {
                spool.append(announcements); // sent with the rest, or by the next drain
            }
        }
        spool.force();
        return new Result(sent, sender.refused(), dropsReported, spool.sizeBytes());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /** What a drain did. Immutable. */
    public static final class Result {
        private final long sent;
        private final long refused;
        private final long dropsReported;
        private final long remainingBytes;

        Result(long sent, long refused, long dropsReported, long remainingBytes) {
            this.sent = sent;
            this.refused = refused;
            this.dropsReported = dropsReported;
            this.remainingBytes = remainingBytes;
        }

        /** Records a broker confirmed. */
        public long sent() {
            return sent;
        }

        /** Records a broker refused for good (in the dead-letter file beside the spool). */
        public long refused() {
            return refused;
        }

        /** Dropped records the WARN record reported (the spool's persisted count). */
        public long dropsReported() {
            return dropsReported;
        }

        /** Bytes left in the spool (0 when it was drained completely). */
        public long remainingBytes() {
            return remainingBytes;
        }

        @Override
        public String toString() {
            return "sent " + sent + " record(s), refused " + refused + ", reported " + dropsReported
                    + " dropped, " + remainingBytes + " bytes left";
        }
    }
}
