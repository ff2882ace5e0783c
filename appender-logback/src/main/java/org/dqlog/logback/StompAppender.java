package org.dqlog.logback;

import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.dqlog.core.appender.AppenderBackend;
import org.dqlog.core.appender.AppenderSettings;

/**
 * The Logback appender {@code org.dqlog.logback.StompAppender}: sends every record to the central
 * log over STOMP, and raises a panic for records at or above {@code panicLevel} or with a
 * {@code PANIC} marker. A thin shell over core's {@link AppenderBackend}.
 *
 * <pre>{@code
 * <shutdownHook/>
 * <appender name="CENTRAL" class="org.dqlog.logback.StompAppender">
 *   <brokers>tcp://mq1:61613,tcp://mq2:61613</brokers>
 *   <passcodeFile>/etc/dqlog/passcode</passcodeFile>
 *   <header>service=webdisplay</header>
 * </appender>
 * }</pre>
 *
 * <p>{@link #start()} checks the settings, reports each problem with {@code addError}, and
 * leaves the appender unstarted (Logback then drops its events) when there is any. Never blocks
 * the logging thread and never throws into it; trouble goes to Logback's status manager only.
 *
 * <p>Thread-safe: setters are for Logback's configurator before {@link #start()}; {@code append}
 * may run on any number of threads at once (hence {@link UnsynchronizedAppenderBase}).
 */
public final class StompAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final AppenderSettings settings = new AppenderSettings();
    private volatile AppenderBackend backend;
    private volatile LoggingEventRecords records;

    public void setBrokers(String v) { settings.brokers(v); }
    public void setLogin(String v) { settings.login(v); }
    public void setPasscode(String v) { settings.passcode(v); }
    public void setPasscodeFile(String v) { settings.passcodeFile(v); }
    public void setApp(String v) { settings.app(v); }
    public void setHost(String v) { settings.host(v); }
    public void setLoggingDestination(String v) { settings.loggingDestination(v); }
    public void setPanicDestination(String v) { settings.panicDestination(v); }
    public void setPanicLevel(String v) { settings.panicLevel(v); }
    public void setQueueCapacity(String v) { settings.queueCapacity(v); }
    public void setSpoolDir(String v) { settings.spoolDir(v); }
    public void setSpoolMaxBytes(String v) { settings.spoolMaxBytes(v); }
    public void setShutdownTimeout(String v) { settings.shutdownTimeout(v); }
    public void setRedact(String v) { settings.redact(v); }
    public void setBatching(String v) { settings.batching(v); }

    /** An extra static header, {@code name=value}; repeat {@code <header>} for several. */
    public void addHeader(String nameEqualsValue) {
        settings.header(nameEqualsValue);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        int errors = 0;
        List<String> problems = settings.problems();
        for (String problem : problems) {
            addError("not started: " + problem);
            errors++;
        }
        if (errors > 0) {
            return;
        }
        try {
            AppenderBackend started = AppenderBackend.start(settings, new ContextStatus(this, getName()));
            records = new LoggingEventRecords(started.records());
            backend = started;
        } catch (RuntimeException e) {
            addError("not started: " + e.getMessage(), e);
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        AppenderBackend b = backend;
        if (b == null) {
            return;
        }
        try {
            b.submit(records.toRecord(event));
        } catch (RuntimeException | LinkageError e) {
            // A bug of ours must not reach the application.
            b.reportConversionFailure(e);
        }
    }

    /** Flushes within {@code shutdownTimeout} and closes; idempotent. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        AppenderBackend b = backend;
        if (b != null) {
            b.close();
        }
    }

    /** The running backend, or null before start (tests, tools that want the sender's statistics). */
    AppenderBackend backend() {
        return backend;
    }
}
