package org.dqlog.log4j2;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Test fixture: an application's Log4j 2 as Log4j itself builds it from an XML file of the test
 * resources (with {@code ${sys:dqlog.test.*}} properties for the broker and folders), plus what
 * StatusLogger said meanwhile.
 */
final class Log4jApp implements AutoCloseable {

    final List<String> status = new CopyOnWriteArrayList<>();
    private final StatusListener listener = new StatusListener() {
        @Override
        public void log(StatusData data) {
            status.add(data.getLevel() + " " + data.getMessage().getFormattedMessage());
        }

        @Override
        public Level getStatusLevel() {
            return Level.INFO;
        }

        @Override
        public void close() {
        }
    };
    private LoggerContext context;

    /** Sets {@code dqlog.test.dir} and {@code dqlog.test.brokers}, then lets Log4j load {@code resource}. */
    static Log4jApp start(String resource, Path dir, String brokers) {
        System.setProperty("dqlog.test.dir", dir.toString());
        if (brokers == null) {
            System.clearProperty("dqlog.test.brokers");
        } else {
            System.setProperty("dqlog.test.brokers", brokers);
        }
        Log4jApp app = new Log4jApp();
        StatusLogger.getLogger().registerListener(app.listener);
        try {
            app.context = new LoggerContext("app-" + resource, null, Log4jApp.class.getResource("/" + resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        app.context.start();
        return app;
    }

    LoggerContext context() {
        return context;
    }

    /** Our appender in the current configuration, or null when Log4j did not build it. */
    StompAppender appender() {
        return context.getConfiguration().getAppender("CENTRAL");
    }

    @Override
    public void close() {
        context.stop(30, TimeUnit.SECONDS);
        StatusLogger.getLogger().removeListener(listener);
    }
}
