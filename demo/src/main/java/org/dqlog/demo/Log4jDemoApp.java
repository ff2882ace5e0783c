package org.dqlog.demo;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;

/**
 * The han web display of the demo, a Log4j 2 application: configured by {@code log4j2.xml} (a
 * console for warnings and errors, the {@code <Stomp>} appender for everything), logging through
 * the Log4j API with the run and stream in the ThreadContext.
 */
public final class Log4jDemoApp {

    private Log4jDemoApp() { }

    public static void main(String[] args) {
        DemoLoop loop = DemoLoop.fromSystemProperties();
        loop.stopOnStdinEof();
        DemoLog log = new DemoLog() {
            @Override
            public void log(String logger, Severity severity, String message, Throwable error) {
                LogManager.getLogger(logger).log(org.apache.logging.log4j.Level.valueOf(severity.name()), message, error);
            }

            @Override
            public void context(String run, String stream) {
                ThreadContext.put("run", run);
                ThreadContext.put("stream", stream);
            }
        };
        LogManager.getLogger(Log4jDemoApp.class).info("dq-webdisplay demo started (Log4j 2)");
        long records = loop.run(new DqScenario(DqScenario.Service.WEB_DISPLAY, loop.random(), log));
        LogManager.getLogger(Log4jDemoApp.class).info("dq-webdisplay demo done after {} records", records);
        // Stops the appenders: the Stomp appender sends what it still holds (within its shutdownTimeout).
        LogManager.shutdown();
    }
}
