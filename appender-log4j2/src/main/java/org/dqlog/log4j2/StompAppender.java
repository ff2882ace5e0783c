package org.dqlog.log4j2;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.dqlog.core.appender.AppenderSettings;

/**
 * The Log4j 2 {@code <Stomp>} appender: sends every record to the central log over STOMP, and
 * raises a panic for records at or above {@code panicLevel} or with a {@code PANIC} marker.
 * A thin shell: the work is done by core's {@link org.dqlog.core.appender.AppenderBackend}, held
 * by a {@link StompManager} that survives reconfiguration.
 *
 * <pre>{@code
 * <Stomp name="CENTRAL" brokers="tcp://mq1:61613,tcp://mq2:61613" passcodeFile="/etc/dqlog/passcode">
 *   <Property name="service" value="webdisplay"/>
 * </Stomp>
 * }</pre>
 *
 * <p>Never blocks the logging thread and never throws into it, whatever {@code ignoreExceptions}
 * says: a record the sender cannot take is counted and reported by it. Trouble goes to Log4j's
 * StatusLogger only.
 *
 * <p>Thread-safe, as Log4j requires of appenders.
 */
@Plugin(name = StompAppender.PLUGIN_NAME, category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
        printObject = true)
public final class StompAppender extends AbstractAppender {

    /** The element name in a Log4j configuration. */
    public static final String PLUGIN_NAME = "Stomp";

    private final StompManager manager;

    private StompAppender(String name, Filter filter, boolean ignoreExceptions, Property[] properties,
            StompManager manager) {
        super(name, filter, null, ignoreExceptions, properties);
        this.manager = manager;
    }

    @PluginBuilderFactory
    public static Builder newBuilder() {
        return new Builder();
    }

    @Override
    public void append(LogEvent event) {
        try {
            manager.publish(event);
        } catch (RuntimeException | LinkageError e) {
            // A bug of ours must not reach the application, whatever ignoreExceptions says.
            manager.backend().reportConversionFailure(e);
        }
    }

    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        boolean stopped = super.stop(timeout, timeUnit, false);
        stopped &= manager.stop(timeout, timeUnit);
        setStopped();
        return stopped;
    }

    /** The manager, shared across reconfigurations (tests, and tools that want the sender's statistics). */
    StompManager getManager() {
        return manager;
    }

    /**
     * The attributes of {@code <Stomp>}; each one's default is in docs/log4j2.md. Nested
     * {@code <Property name="..." value="..."/>} elements become extra static headers.
     *
     * <p>Not thread-safe; Log4j uses a builder on one thread.
     */
    public static final class Builder extends AbstractAppender.Builder<Builder>
            implements org.apache.logging.log4j.core.util.Builder<StompAppender> {

        @PluginBuilderAttribute
        private String brokers;
        @PluginBuilderAttribute
        private String login;
        @PluginBuilderAttribute(sensitive = true)
        private String passcode;
        @PluginBuilderAttribute
        private String passcodeFile;
        @PluginBuilderAttribute
        private String app;
        @PluginBuilderAttribute
        private String host;
        @PluginBuilderAttribute
        private String loggingDestination;
        @PluginBuilderAttribute
        private String panicDestination;
        @PluginBuilderAttribute
        private String panicLevel;
        @PluginBuilderAttribute
        private String queueCapacity;
        @PluginBuilderAttribute
        private String spoolDir;
        @PluginBuilderAttribute
        private String spoolMaxBytes;
        @PluginBuilderAttribute
        private String shutdownTimeout;
        @PluginBuilderAttribute
        private String redact;
        @PluginBuilderAttribute
        private String batching;

        public Builder setBrokers(String v) { brokers = v; return this; }
        public Builder setLogin(String v) { login = v; return this; }
        public Builder setPasscode(String v) { passcode = v; return this; }
        public Builder setPasscodeFile(String v) { passcodeFile = v; return this; }
        public Builder setApp(String v) { app = v; return this; }
        public Builder setHost(String v) { host = v; return this; }
        public Builder setLoggingDestination(String v) { loggingDestination = v; return this; }
        public Builder setPanicDestination(String v) { panicDestination = v; return this; }
        public Builder setPanicLevel(String v) { panicLevel = v; return this; }
        public Builder setQueueCapacity(String v) { queueCapacity = v; return this; }
        public Builder setSpoolDir(String v) { spoolDir = v; return this; }
        public Builder setSpoolMaxBytes(String v) { spoolMaxBytes = v; return this; }
        public Builder setShutdownTimeout(String v) { shutdownTimeout = v; return this; }
        public Builder setRedact(String v) { redact = v; return this; }
        public Builder setBatching(String v) { batching = v; return this; }

        /**
         * The appender, or null (with the reasons on the StatusLogger) when the settings are
         * wrong: Log4j then runs without it and the application is unaffected.
         */
        @Override
        public StompAppender build() {
            String name = getName();
            AppenderSettings settings = settings();
            List<String> problems = settings.problems();
            if (!problems.isEmpty()) {
                for (String problem : problems) {
                    LOGGER.error("dqlog Stomp appender '{}' not started: {}", name, problem);
                }
                return null;
            }
            try {
                LoggerContext context = getConfiguration() == null ? null : getConfiguration().getLoggerContext();
                StompManager manager = StompManager.getManager(name, settings, context);
                return new StompAppender(name, getFilter(), isIgnoreExceptions(), getPropertyArray(), manager);
            } catch (RuntimeException e) {
                LOGGER.error("dqlog Stomp appender '{}' not started: {}", name, e.getMessage(), e);
                return null;
            }
        }

        private AppenderSettings settings() {
            AppenderSettings s = new AppenderSettings()
                    .brokers(brokers).login(login).passcode(passcode).passcodeFile(passcodeFile)
                    .app(app).host(host).loggingDestination(loggingDestination).panicDestination(panicDestination)
                    .panicLevel(panicLevel).queueCapacity(queueCapacity).spoolDir(spoolDir)
                    .spoolMaxBytes(spoolMaxBytes).shutdownTimeout(shutdownTimeout).redact(redact).batching(batching);
            Property[] headers = getPropertyArray();
            if (headers != null) {
                for (Property h : headers) {
                    s.header(h.getName(), h.getValue());
                }
            }
            return s;
        }
    }
}
