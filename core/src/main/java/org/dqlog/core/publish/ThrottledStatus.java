package org.dqlog.core.publish;

import java.time.Duration;
import java.util.Objects;

import org.dqlog.core.Status;

/**
 * Passes one kind of report (failovers, outages, submit failures) to a {@link Status} at most once
 * per interval, so that a broker that flaps, or an application that logs thousands of records per
 * second into a dead sender, cannot flood the application's status channel. Reports in between are
 * counted and the next report that passes says how many were left out.
 *
 * <p>Thread-safe: each call holds a monitor for a few field updates; the status call itself
 * happens outside it.
 */
public final class ThrottledStatus {

    /** At most one report of a kind per minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final Status status;
    private final long intervalNanos;
    private boolean reported;
    private long lastReportNanos;
    private long suppressed;

    public ThrottledStatus(Status status, Duration interval) {
        this.status = Objects.requireNonNull(status, "status");
        this.intervalNanos = interval.toNanos();
    }

    public void info(String message) {
        String text = admit(message);
        if (text != null) {
            status.info(text);
        }
    }

    public void warn(String message, Throwable cause) {
        String text = admit(message);
        if (text != null) {
            status.warn(text, cause);
        }
    }

    public void error(String message, Throwable cause) {
        String text = admit(message);
        if (text != null) {
            status.error(text, cause);
        }
    }

    /** Reports left out since the last one that passed. */
    public synchronized long suppressed() {
        return suppressed;
    }

    private synchronized String admit(String message) {
        long now = System.nanoTime();
        if (reported && now - lastReportNanos < intervalNanos) {
            suppressed++;
            return null;
        }
        String text = suppressed == 0 ? message
                : message + " (" + suppressed + " similar report(s) left out since the last one)";
        reported = true;
        lastReportNanos = now;
        suppressed = 0;
        return text;
    }
}
