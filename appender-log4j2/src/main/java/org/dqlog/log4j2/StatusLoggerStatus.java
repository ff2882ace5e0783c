package org.dqlog.log4j2;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.status.StatusLogger;
import org.dqlog.core.Status;

/**
 * Core's trouble reports, sent to Log4j's {@link StatusLogger}: Log4j's channel for its own
 * trouble, which never passes through appenders, so the appender cannot log into itself.
 *
 * <p>Thread-safe: the StatusLogger is.
 */
final class StatusLoggerStatus implements Status {

    private static final Logger STATUS = StatusLogger.getLogger();

    private final String prefix;

    StatusLoggerStatus(String appenderName) {
        this.prefix = "dqlog Stomp appender '" + appenderName + "': ";
    }

    @Override
    public void info(String message) {
        STATUS.info(prefix + message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        STATUS.warn(prefix + message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
        STATUS.error(prefix + message, cause);
    }
}
