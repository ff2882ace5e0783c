package org.dqlog.demo;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Tier-0 histogram merging and DCS calculator of the demo, a Logback application: configured
 * by {@code logback.xml} (a console for warnings and errors, {@code org.dqlog.logback.StompAppender}
 * for everything), logging through SLF4J with the run and stream in the MDC.
 */
public final class LogbackDemoApp {

    private LogbackDemoApp() { }

    public static void main(String[] args) {
        DemoLoop loop = DemoLoop.fromSystemProperties();
        loop.stopOnStdinEof();
        DemoLog log = new DemoLog() {
            @Override
            public void log(String logger, Severity severity, String message, Throwable error) {
                Logger l = LoggerFactory.getLogger(logger);
                switch (severity) {
                    case DEBUG -> l.debug(message, error);
                    case INFO -> l.info(message, error);
                    case WARN -> l.warn(message, error);
                    default -> l.error(message, error);
                }
            }

            @Override
            public void context(String run, String stream) {
                MDC.put("run", run);
                MDC.put("stream", stream);
            }
        };
        Logger self = LoggerFactory.getLogger(LogbackDemoApp.class);
        self.info("dq-histmerge demo started (Logback)");
        long records = loop.run(new DqScenario(DqScenario.Service.HISTOGRAM_MERGE, loop.random(), log));
        self.info("dq-histmerge demo done after {} records", records);
        // Stops the appenders: the Stomp appender sends what it still holds (within its shutdownTimeout).
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
