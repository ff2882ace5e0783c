package org.dqlog.cli.spool;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.dqlog.cli.ExitCodes;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.Status;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.publish.SpoolDrainer;
import org.dqlog.core.spool.SpoolLockedException;

/**
 * {@code dqlog spool drain} for one spool: core's {@link SpoolDrainer} (the same code a sender uses
 * for the spools its siblings left: panics first, refused messages to the dead-letter file, the
 * persisted drop count reported) with the shared client settings, its outcome as an exit code and
 * one line of output, and trouble on stderr without secrets.
 *
 * <p>Not thread-safe: one drain at a time.
 */
public final class SpoolDrain {

    /** The application named in the drain's own WARN records (a drop report, a refusal). */
    static final String APP = "dqlog-spool-drain";

    private final ClientSettings settings;
    private final Duration timeLimit;
    private final String loggingDestination;
    private final String panicDestination;
    private final PrintWriter err;

    public SpoolDrain(ClientSettings settings, Duration timeLimit, String loggingDestination, String panicDestination,
                      PrintWriter err) {
        this.settings = settings;
        this.timeLimit = timeLimit;
        this.loggingDestination = loggingDestination;
        this.panicDestination = panicDestination;
        this.err = err;
    }

    /**
     * Drains the spool in {@code dir}; prints {@code DIR: sent N records, ...} on {@code out}.
     *
     * @return {@link ExitCodes#OK} if a broker confirmed everything and the spool is empty,
     *     {@link ExitCodes#NO_MATCH} if something was not confirmed (refused, or no broker within
     *     the time limit), {@link ExitCodes#ERROR} if the spool is held, unreadable, or no broker is configured
     */
    public int drain(Path dir, PrintWriter out) {
        Status status = stderrStatus();
        SpoolDrainer.Result result;
        try (Publisher publisher = Publisher.fromSettings(settings, status)) {
            result = new SpoolDrainer(publisher, status, ProcessInfo.hostName(), APP, loggingDestination, panicDestination)
                    .drain(dir, timeLimit);
        } catch (SpoolLockedException e) {
            err.println("dqlog: not drained: " + oneLine(e) + " (a running application sends its spool itself)");
            return ExitCodes.ERROR;
        } catch (PublishException e) {
            err.println("dqlog: no broker confirmed what waits in " + dir + " (" + oneLine(e) + "); it stays in the spool");
            return ExitCodes.NO_MATCH;
        } catch (IllegalArgumentException e) {
            err.println("dqlog: " + oneLine(e));
            return ExitCodes.ERROR;
        } catch (IOException | RuntimeException e) {
            err.println("dqlog: cannot drain the spool " + dir + ": " + oneLine(e));
            return ExitCodes.ERROR;
        }
        out.println(dir + ": " + result);
        if (result.refused() > 0) {
            err.println("dqlog: a broker refused " + result.refused() + " record(s) of " + dir
                    + "; they are in the dead-letter file beside the spool");
        }
        if (result.remainingBytes() > 0) {
            err.println("dqlog: not everything in " + dir + " was sent within " + timeLimit + "; the rest stays in the spool");
        }
        return result.refused() == 0 && result.remainingBytes() == 0 ? ExitCodes.OK : ExitCodes.NO_MATCH;
    }

    private static String oneLine(Exception e) {
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
