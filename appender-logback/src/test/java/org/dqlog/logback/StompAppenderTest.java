package org.dqlog.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.dqlog.core.appender.AppenderChecks.assertNoPanic;
import static org.dqlog.core.appender.AppenderChecks.assertNoPanics;
import static org.dqlog.core.appender.AppenderChecks.assertPanicCopy;
import static org.dqlog.core.appender.AppenderChecks.assertProducedHere;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.appender.AppenderBrokerTest;
import org.dqlog.core.appender.CentralLogRecorder;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/** The Logback {@code StompAppender} as Joran builds it from a realistic XML configuration, against a real broker process. */
class StompAppenderTest extends AppenderBrokerTest {

    @AfterEach
    void clearContext() {
        MDC.clear();
    }

    @Test
    void everyRecordArrivesWithItsFieldsAndErrorsAndPanicMarkersAlsoOnThePanicQueue() throws Exception {
        // given
        String thread = Thread.currentThread().getName();
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             LogbackApp logback = LogbackApp.start("logback-central.xml", dir, broker.uri())) {
            Logger logger = logback.logger("org.dq.dcs.Calculator");
            IllegalStateException failure = new IllegalStateException("Pixel failed", new IOException("disk gone"));
            failure.addSuppressed(new IllegalArgumentException("cleanup failed"));

            // when
            logger.trace("tracing {}", "detail");
            logger.debug("debugging");
            MDC.put("run", "261070");
            MDC.put("system", "Pixel");
            logger.info("run {}: {} systems done", 261070, 12);
            logger.atInfo().addKeyValue("system", "SCT").addKeyValue("lumiblock", 7).log("key-value pairs");
            MDC.clear();
            logger.warn(MarkerFactory.getMarker("AUDIT"), "disk {} almost full", "/data");
            logger.error("run {}: Pixel failed", 261070, failure);
            logger.error(MarkerFactory.getMarker("FATAL"), "cannot continue");
            logger.info(MarkerFactory.getMarker("PANIC"), "operator attention needed");

            // then
            LogRecord info = central.awaitMessage("run 261070: 12 systems done");
            assertProducedHere(info, app, Level.INFO, "org.dq.dcs.Calculator", thread);
            assertThat(info.mdc()).containsExactly(Map.entry("run", "261070"), Map.entry("system", "Pixel"));
            assertThat(central.awaitMessage("key-value pairs").mdc())
                    .containsEntry("run", "261070").containsEntry("system", "SCT").containsEntry("lumiblock", "7");

            LogRecord error = central.awaitMessage("run 261070: Pixel failed");
            assertProducedHere(error, app, Level.ERROR, "org.dq.dcs.Calculator", thread);
            assertThat(error.mdc()).isEmpty();
            assertThat(error.exception().className()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.exception().stackTrace())
                    .contains("Caused by: java.io.IOException: disk gone")
                    .contains("Suppressed: java.lang.IllegalArgumentException: cleanup failed");

            LogRecord fatal = central.awaitMessage("cannot continue");
            LogRecord marked = central.awaitMessage("operator attention needed");
            assertScenarioPanics(central, error, fatal, marked, "everyRecordArrivesWithItsFields", "ch.qos.logback");
            assertNoPanic(central, info);
            assertNoPanics(central, "disk /data almost full", "tracing detail", "debugging");
            assertExactlyTheRecordsLogged(central, 8);
            assertThat(Files.readString(dir.resolve("app.log"), StandardCharsets.UTF_8)).contains("operator attention needed");
        }
    }

    @Test
    void withPanicLevelFatalAPlainErrorIsNoPanicButAnErrorWithTheFatalMarkerIs() throws Exception {
        // given
        System.setProperty("dqlog.test.panicLevel", "FATAL");
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             LogbackApp logback = LogbackApp.start("logback-central.xml", dir, broker.uri())) {
            Logger logger = logback.logger("org.dq.web.Display");

            // when
            logger.error("an ordinary error");
            logger.error(MarkerFactory.getMarker("FATAL"), "a real disaster");

            // then
            LogRecord fatal = central.awaitMessage("a real disaster");
            central.awaitPanicCount(1);
            assertPanicCopy(central, fatal);
            assertNoPanic(central, central.awaitMessage("an ordinary error"));
        }
    }

    @Test
    void theRedactAttributeHidesWhatItsPatternMatchesInAPanicsCommandLine() throws Exception {
        // given an operator pattern, in the appender's redact element only, that matches a program argument
        String argument = lastProgramArgument();
        System.setProperty("dqlog.test.redact", Pattern.quote(argument));
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             LogbackApp logback = LogbackApp.start("logback-central.xml", dir, broker.uri())) {

            // when the application panics
            logback.logger("org.dq.Secretive").error("a panic with a secret argument");

            // then the panic carries *** in the argument's place
            assertPanicHidesArgument(central, "a panic with a secret argument", argument);
        }
    }

    @Test
    void withoutBrokersTheAppenderStaysUnstartedTheStatusSaysWhyAndTheApplicationLogsOn() throws Exception {
        // given
        assumeNoBrokersConfigured();

        // when
        try (LogbackApp logback = LogbackApp.start("logback-no-brokers.xml", dir, null)) {
            Logger logger = logback.logger("org.dq.Tool");
            assertThatCode(() -> logger.error("still logging to the file")).doesNotThrowAnyException();

            // then
            assertThat(logback.appender().isStarted()).isFalse();
            assertThat(logback.status()).anySatisfy(line -> assertThat(line)
                    .startsWith("ERROR not started: no brokers").contains("dqlog.brokers").contains("DQLOG_BROKERS"));
            assertThat(Files.readString(dir.resolve("app.log"), StandardCharsets.UTF_8)).contains("still logging to the file");
        }
    }

    @Test
    void theBatchingElementReachesTheSender() throws Exception {
        // given: <batching>false</batching> (for a fleet whose collectors are older than batches)
        System.setProperty("dqlog.test.batching", "false");

        // when
        LogbackApp logback = LogbackApp.start("logback-central.xml", dir, unreachableBroker());
        try {
            // then
            assertThat(logback.appender().backend().sender().config().batching()).isFalse();
        } finally {
            logback.close();
        }
    }

    @Test
    void anUnreachableBrokerNeverBlocksNorThrowsIntoTheApplication() throws Exception {
        // given: a port nobody listens on, and a small queue that must overflow
        System.setProperty("dqlog.test.queueCapacity", "20");
        LogbackApp logback = LogbackApp.start("logback-central.xml", dir, unreachableBroker());
        Logger logger = logback.logger("org.dq.Busy");
        StompAppender appender = logback.appender();

        // when / then: every call returns, none throws
        assertThatCode(() -> {
            for (int i = 0; i < 500; i++) {
                logger.error("record {} while the broker is away", i, new IllegalStateException("x"));
            }
        }).doesNotThrowAnyException();
        assertThat(appender.backend().sender().stats().accepted()).isPositive();
        await().atMost(Waits.CONDITION).until(() -> logback.status().stream().anyMatch(s -> s.contains("dqlog")));
        assertThatCode(logback::close).doesNotThrowAnyException();
        assertThat(appender.backend().sender().isClosed()).isTrue();
        assertThat(appender.isStarted()).isFalse();
        assertThatCode(appender::stop).as("stop is idempotent").doesNotThrowAnyException();
    }
}
