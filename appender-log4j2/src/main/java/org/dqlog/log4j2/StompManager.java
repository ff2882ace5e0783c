package org.dqlog.log4j2;

import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractManager;
import org.apache.logging.log4j.core.appender.ManagerFactory;
import org.dqlog.core.appender.AppenderBackend;
import org.dqlog.core.appender.AppenderSettings;

/**
 * The live connection of a {@link StompAppender}: its {@link AppenderBackend} (sender thread,
 * queue, spool). Log4j shares a manager by name between the appenders of the old and the new
 * configuration, so a reconfiguration (monitorInterval, {@code Configurator.reconfigure}) keeps
 * the sender, its queue and its connection; the backend closes only when the last appender
 * using it stops. The name holds a fingerprint of the settings, so a changed configuration gets
 * a new manager and the old one is flushed and closed.
 *
 * <p>Thread-safe: the backend is; Log4j synchronizes the manager's reference counting.
 */
final class StompManager extends AbstractManager {

    private static final Factory FACTORY = new Factory();

    private final AppenderBackend backend;
    private final LogEventRecords records;

    private StompManager(LoggerContext context, String name, AppenderBackend backend) {
        super(context, name);
        this.backend = backend;
        this.records = new LogEventRecords(backend.records());
    }

    /**
     * The manager of these settings, shared with an earlier configuration's appender of the
     * same name and settings, or a new one.
     *
     * @throws IllegalArgumentException when the settings have problems
     */
    static StompManager getManager(String appenderName, AppenderSettings settings, LoggerContext context) {
        String name = "dqlog-stomp:" + appenderName + "@" + settings.fingerprint();
        return getManager(name, FACTORY, new FactoryData(appenderName, settings, context));
    }

    /** Converts the event on this thread (Log4j may recycle it afterwards) and queues it; never blocks. */
    boolean publish(LogEvent event) {
        return backend.submit(records.toRecord(event));
    }

    AppenderBackend backend() {
        return backend;
    }

    @Override
    protected boolean releaseSub(long timeout, TimeUnit timeUnit) {
        backend.close(); // bounded by the configured shutdownTimeout
        return true;
    }

    /** What the factory needs; its text never shows the passcode (Log4j prints it when a manager cannot be made). */
    private static final class FactoryData {
        final String appenderName;
        final AppenderSettings settings;
        final LoggerContext context;

        FactoryData(String appenderName, AppenderSettings settings, LoggerContext context) {
            this.appenderName = appenderName;
            this.settings = settings;
            this.context = context;
        }

        @Override
        public String toString() {
            return settings.toString();
        }
    }

    private static final class Factory implements ManagerFactory<StompManager, FactoryData> {
        @Override
        public StompManager createManager(String name, FactoryData data) {
            AppenderBackend backend = AppenderBackend.start(data.settings, new StatusLoggerStatus(data.appenderName));
            return new StompManager(data.context, name, backend);
        }
    }
}
