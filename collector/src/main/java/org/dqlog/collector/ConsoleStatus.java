package org.dqlog.collector;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import org.dqlog.core.Status;
import org.dqlog.core.Timestamps;

/**
 * The collector's own reports, one line each on a stream (stderr of the daemon, so that its
 * stdout carries only the ready line): {@code 2026-11-26T23:59:59.123456Z WARN message: cause}.
 * A cause is shown as its class and message and those of its causes, never as a stack trace,
 * and never with more than the exceptions say (they carry no secrets).
 *
 * <p>Thread-safe: each report is one {@code println} on a {@link PrintStream}, which locks.
 */
public final class ConsoleStatus implements Status {

    private final PrintStream out;
    private final Clock clock;

    public ConsoleStatus(PrintStream out) {
        this(out, Clock.systemUTC());
    }

    public ConsoleStatus(PrintStream out, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void info(String message) {
        print("INFO", message, null);
    }

    @Override
    public void warn(String message, Throwable cause) {
        print("WARN", message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
        print("ERROR", message, cause);
    }

    private void print(String level, String message, Throwable cause) {
        StringBuilder line = new StringBuilder(128);
        line.append(Timestamps.format(clock.instant())).append(' ').append(level).append(' ').append(message);
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
            line.append(depth == 0 ? ": " : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                line.append(": ").append(t.getMessage());
            }
        }
        // One line per report, whatever the message held: a newline must not forge another report.
        out.println(line.toString().replace('\n', ' ').replace('\r', ' '));
    }
}
