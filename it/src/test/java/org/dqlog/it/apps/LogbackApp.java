package org.dqlog.it.apps;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;

/**
 * An application that logs through SLF4J and Logback, configured by Logback itself from the XML
 * file named by {@code --config} (a rolling file plus the dqlog appender on the root logger). Its
 * class path holds no Log4j core. Logback has no FATAL level: a FATAL record is an ERROR with the
 * {@code FATAL} marker, as docs/logback.md says. See {@link Workload} for what it logs.
 */
public final class LogbackApp {

    private LogbackApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Workload.Options options = Workload.options(args);
        // before the first SLF4J call (MarkerFactory included): Logback reads the file when SLF4J binds it
        System.setProperty("logback.configurationFile", options.config.toAbsolutePath().toString());
        Logger log = LoggerFactory.getLogger(Workload.LOGGER);
        Marker fatal = MarkerFactory.getMarker("FATAL");
        Workload.run(options, new Workload.Sink() {
            @Override
            public void log(org.dqlog.core.Level level, String run, int seq, Throwable error) {
                MDC.put(Workload.MDC_RUN, run);
                MDC.put(Workload.MDC_SEQ, Integer.toString(seq));
                org.slf4j.spi.LoggingEventBuilder event = level == org.dqlog.core.Level.FATAL
                        ? log.atError().addMarker(fatal)
                        : log.atLevel(Level.valueOf(level.name()));
                event.setCause(error).log("record {} of {}", seq, run);
            }

            @Override
            public void shutdown() {
                ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
            }
        });
    }
}
