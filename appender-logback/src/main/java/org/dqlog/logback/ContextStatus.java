package org.dqlog.logback;

import ch.qos.logback.core.spi.ContextAwareBase;
import org.dqlog.core.Status;

/**
 * Core's trouble reports, sent to Logback's status manager ({@code addInfo}/{@code addWarn}/
 * {@code addError} of the appender): Logback's channel for its own trouble, which never passes
 * through appenders, so the appender cannot log into itself.
 *
 * <p>Thread-safe: Logback's status manager is.
 */
final class ContextStatus implements Status {

    private final ContextAwareBase appender;
    private final String prefix;

    ContextStatus(ContextAwareBase appender, String appenderName) {
        this.appender = appender;
        this.prefix = "[" + appenderName + "] ";
    }

    @Override
    public void info(String message) {
        appender.addInfo(prefix + message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        appender.addWarn(prefix + message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
        appender.addError(prefix + message, cause);
    }
}
