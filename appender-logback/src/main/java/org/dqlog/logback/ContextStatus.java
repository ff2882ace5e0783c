package org.dqlog.logback;

import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.StatusManager;

import org.dqlog.core.Status;

/**
 * Core's trouble reports, sent to Logback's status manager ({@code addInfo}/{@code addWarn}/
 * {@code addError} of the appender): Logback's channel for its own trouble, which never passes
 * through appenders, so the appender cannot log into itself.
 *
 * <p>Logback prints its status messages only while it reads its configuration (and only if there
 * were errors), so a broker that is down or a refused login, which the sender finds later on its
 * own thread, would go unseen. Warnings and errors are therefore also printed to standard error,
 * one line each, unless a status listener is installed (then it shows them, as the user asked),
 * the way Log4j's StatusLogger prints them by default. The sender reports each kind at most once
 * per status interval, so this stays a trickle.
 *
 * <p>Thread-safe: Logback's status manager is, and each line is one {@code println}.
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
        printIfUnheard("WARN", message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
        appender.addError(prefix + message, cause);
        printIfUnheard("ERROR", message, cause);
    }

    private void printIfUnheard(String level, String message, Throwable cause) {
        StatusManager manager = appender.getContext() == null ? null : appender.getContext().getStatusManager();
        if (manager != null && !manager.getCopyOfStatusListenerList().isEmpty()) {
            return;
        }
        System.err.println("dqlog " + level + " in org.dqlog.logback.StompAppender" + prefix.trim() + " - " + message
                + (cause == null ? "" : " (" + cause + ")"));
    }
}
