package org.dqlog.core;

/**
 * Where core reports its own trouble. Core never logs through a logging framework (an appender
 * that logged through its own framework would call itself); each appender maps this to its
 * framework's status channel, the collector and CLI to their own output.
 *
 * <p>Implementations must be thread-safe and must not block or throw.
 */
public interface Status {

    void info(String message);

    void warn(String message, Throwable cause);

    void error(String message, Throwable cause);

    /** Discards everything; for tests and tools that have nowhere to report. */
    Status SILENT = new Status() {
        @Override public void info(String message) { }
        @Override public void warn(String message, Throwable cause) { }
        @Override public void error(String message, Throwable cause) { }
    };
}
