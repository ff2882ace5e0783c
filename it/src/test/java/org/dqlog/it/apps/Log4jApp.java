package org.dqlog.it.apps;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.dqlog.core.Level;

/**
 * An application that logs through Log4j 2, configured by Log4j itself from the XML file named by
 * {@code --config} (a rolling file plus the dqlog appender on the root logger). Its class path
 * holds no Logback and no SLF4J. See {@link Workload} for what it logs.
 */
public final class Log4jApp {

    private Log4jApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Workload.Options options = Workload.options(args);
        // before the first LogManager call: Log4j reads the file when it builds its context
        System.setProperty("log4j2.configurationFile", options.config.toAbsolutePath().toString());
        Logger log = LogManager.getLogger(Workload.LOGGER);
        Workload.run(options, new Workload.Sink() {
            @Override
            public void log(Level level, String run, int seq, Throwable error) {
                ThreadContext.put(Workload.MDC_RUN, run);
                ThreadContext.put(Workload.MDC_SEQ, Integer.toString(seq));
                log.atLevel(org.apache.logging.log4j.Level.getLevel(level.name())).withThrowable(error)
                        .log("record {} of {}", seq, run);
            }

            @Override
            public void shutdown() {
                LogManager.shutdown();
            }

            @Override
            public void reconfigure(java.nio.file.Path config) {
                // what a changed file under monitorInterval or a management call does: the new
                // configuration starts before the old one stops
                ((org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false))
                        .setConfigLocation(config.toUri());
            }
        });
    }
}
