package org.dqlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.dqlog.core.appender.AppenderChecks.assertPanicCopy;
import static org.dqlog.core.appender.AppenderChecks.assertProducedHere;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordIds;
import org.dqlog.core.appender.CentralLogRecorder;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appender under Log4j's all-asynchronous loggers. The context selector is fixed per JVM, so
 * surefire runs this class alone with {@code log4j2.contextSelector} set (see the module pom).
 */
@ExtendWith(ProcessReaper.class)
class AsyncLoggersTest {

    @TempDir
    Path dir;

    @Test
    void contextAndThreadAreThoseOfTheCallingThreadAlthoughTheAppenderRunsOnLog4jsThread() throws Exception {
        // given
        assumeThat(System.getProperty("log4j2.contextSelector")).as("run by surefire's async-loggers execution").isNotNull();
        BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"));
        String app = "log4j-async-" + RecordIds.randomInstanceId();
        System.setProperty("dqlog.test.app", app);
        System.setProperty("dqlog.test.dir", dir.toString());
        System.setProperty("dqlog.test.brokers", broker.uri());
        URI config = AsyncLoggersTest.class.getResource("/log4j2-central.xml").toURI();
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri())) {
            LoggerContext context = Configurator.initialize("async", null, config);
            assertThat(context).isInstanceOf(AsyncLoggerContext.class);
            Logger logger = LogManager.getLogger("org.dq.async.Worker");
            Thread worker = new Thread(() -> {
                ThreadContext.put("run", "4711");
                logger.info("async {}", "hello");
                logger.error("async failure", new IllegalStateException("boom", new ArithmeticException("/ by zero")));
                ThreadContext.clearAll();
            }, "dq-worker-1");

            // when
            worker.start();
            worker.join();

            // then
            LogRecord info = central.awaitMessage("async hello");
            assertProducedHere(info, app, Level.INFO, "org.dq.async.Worker", "dq-worker-1");
            assertThat(info.mdc()).containsExactly(Map.entry("run", "4711"));
            LogRecord error = central.awaitMessage("async failure");
            central.awaitPanicCount(1);
            assertPanicCopy(central, error);
            assertThat(error.thread()).isEqualTo("dq-worker-1");
            assertThat(error.exception().stackTrace()).contains("Caused by: java.lang.ArithmeticException: / by zero");
            assertThat(error.traceback().get(0)).isEqualTo("java.lang.IllegalStateException: boom\n");
            Configurator.shutdown(context);
        } finally {
            System.clearProperty("dqlog.test.app");
            System.clearProperty("dqlog.test.brokers");
        }
    }
}
