package org.dqlog.cli.spool;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.cli.ExitCodes;
import org.dqlog.core.Destinations;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolBatch;
import org.dqlog.core.spool.SpoolEntry;
import org.dqlog.core.spool.SpoolLockedException;

/**
 * {@code dqlog spool drain}: takes a spool's lock (as the next sender on the host would), sends
 * what waits, panics first, and commits each batch once a broker confirmed it, so that records
 * leave the disk only when stored. The SEND headers are made from each record's own host, app and
 * level, since a spool keeps no headers.
 *
 * <p>Not thread-safe: one drain at a time.
 */
public final class SpoolDrainer {

    /** Records per publish round; a round ends with one receipt per destination. */
    static final int BATCH_RECORDS = SenderConfig.DEFAULT_BATCH_MAX_RECORDS;
    static final long BATCH_BYTES = SenderConfig.DEFAULT_BATCH_MAX_BYTES;

    private final ClientSettings settings;
    private final Duration timeout;
    private final String loggingDestination;
    private final String panicDestination;
    private final PrintWriter err;

    public SpoolDrainer(ClientSettings settings, Duration timeout, String loggingDestination, String panicDestination,
                        PrintWriter err) {
        this.settings = settings;
        this.timeout = timeout;
        this.loggingDestination = loggingDestination;
        this.panicDestination = panicDestination;
        this.err = err;
    }

    /**
     * Drains the spool in {@code dir}; prints {@code DIR: sent N records (P panics)} on {@code out}.
     *
     * @return {@link ExitCodes#OK} if nothing is left, {@link ExitCodes#NO_MATCH} if a broker did
     *     not confirm everything, {@link ExitCodes#ERROR} if the spool is held or unreadable
     */
    public int drain(Path dir, PrintWriter out) {
        Status status = stderrStatus();
        DiskSpool spool;
        try {
            // no size bound of its own: a drain must never evict what the application kept
            spool = DiskSpool.open(dir, Long.MAX_VALUE / 2, new DropCounter(), status);
        } catch (SpoolLockedException e) {
            err.println("dqlog: not drained: " + e.getMessage() + " (a running application sends its spool itself)");
            return ExitCodes.ERROR;
        } catch (IOException | RuntimeException e) {
            err.println("dqlog: cannot open the spool " + dir + ": " + describe(e));
            return ExitCodes.ERROR;
        }
        long sent = 0;
        long panics = 0;
        try (spool; Publisher publisher = publisher(status)) {
            SpoolBatch batch;
            while ((batch = spool.readBatch(BATCH_RECORDS, BATCH_BYTES)) != null) {
                if (!batch.isEmpty()) {
                    publisher.publish(messages(batch.entries()), timeout);
                }
                spool.commit(batch);
                sent += batch.size();
                panics += batch.entries().stream().filter(SpoolEntry::isPanic).count();
            }
            out.println(dir + ": sent " + sent + " records (" + panics + " panics); the spool is empty");
            return ExitCodes.OK;
        } catch (PublishException e) {
            out.println(dir + ": sent " + sent + " records (" + panics + " panics)");
            err.println("dqlog: no broker confirmed the rest of " + dir + " (" + describe(e)
                    + "); it stays in the spool");
            return ExitCodes.NO_MATCH;
        } catch (IllegalArgumentException e) {
            err.println("dqlog: " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (IOException e) {
            err.println("dqlog: reading the spool " + dir + " failed: " + describe(e));
            return ExitCodes.ERROR;
        }
    }

    private Publisher publisher(Status status) {
        return Publisher.fromSettings(settings, status);
    }

    private List<OutboundMessage> messages(List<SpoolEntry> entries) {
        List<OutboundMessage> out = new ArrayList<>(entries.size() + 4);
        for (SpoolEntry e : entries) {
            byte[] body = e.copyOfBody();
            LogRecord headerSource = headerSource(e, body);
            // the header kind follows the standard queue, whatever the destination's name, as the appender's does
            out.add(OutboundMessage.of(loggingDestination, WireMessages.sendHeaders(headerSource, Destinations.LOGGING), body));
            if (e.isPanic()) {
                out.add(OutboundMessage.of(panicDestination, WireMessages.sendHeaders(headerSource, Destinations.PANIC), body));
            }
        }
        return out;
    }

    /** A record with the host, app and level the selector headers name; a body that does not decode still goes out. */
    private static LogRecord headerSource(SpoolEntry entry, byte[] body) {
        LogRecord.Builder b = LogRecord.builder().type(LogRecord.TYPE_LOG).level(entry.level());
        try {
            LogRecord r = RecordCodec.decode(body);
            b.host(r.host()).app(r.app());
        } catch (MalformedRecordException | RuntimeException e) {
            // the collector files it as a bad message with its reason; the headers stay minimal
        }
        return b.build();
    }

    private static String describe(Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private Status stderrStatus() {
        return new Status() {
            @Override
            public void info(String message) { }

            @Override
            public void warn(String message, Throwable cause) {
                err.println(message);
            }

            @Override
            public void error(String message, Throwable cause) {
                err.println(message);
            }
        };
    }
}
