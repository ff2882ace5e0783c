package org.dqlog.logback;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import org.slf4j.MDC;

/**
 * Test fixture: an application's Logback as Logback itself builds it from an XML file of the test
 * resources (with {@code ${dqlog.test.*}} system properties for the broker and folders), in a
 * context of its own, and what its status manager said.
 */
final class LogbackApp implements AutoCloseable {

    final LoggerContext context = new LoggerContext();

    /** Sets {@code dqlog.test.dir} and {@code dqlog.test.brokers}, then lets Joran load {@code resource}. */
    static LogbackApp start(String resource, Path dir, String brokers) throws JoranException {
        System.setProperty("dqlog.test.dir", dir.toString());
        if (brokers == null) {
            System.clearProperty("dqlog.test.brokers");
        } else {
            System.setProperty("dqlog.test.brokers", brokers);
        }
        LogbackApp app = new LogbackApp();
        app.context.setName("app-" + resource);
        // The MDC that org.slf4j.MDC writes to, as in an application whose Logback SLF4J set up.
        app.context.setMDCAdapter(MDC.getMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(app.context);
        configurator.doConfigure(LogbackApp.class.getResource("/" + resource));
        app.context.start();
        return app;
    }

    org.slf4j.Logger logger(String name) {
        return context.getLogger(name);
    }

    /** Our appender, attached to the root logger (started or not). */
    StompAppender appender() {
        return (StompAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CENTRAL");
    }

    /** Everything the status manager holds, one line each. */
    List<String> status() {
        return context.getStatusManager().getCopyOfStatusList().stream()
                .map(LogbackApp::line).collect(Collectors.toList());
    }

    private static String line(Status s) {
        return (s.getLevel() == Status.ERROR ? "ERROR " : s.getLevel() == Status.WARN ? "WARN " : "INFO ") + s.getMessage();
    }

    @Override
    public void close() {
        context.stop();
    }
}
