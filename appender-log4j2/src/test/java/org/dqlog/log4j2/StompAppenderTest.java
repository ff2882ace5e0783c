package org.dqlog.log4j2;

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

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.appender.AppenderBrokerTest;
import org.dqlog.core.appender.CentralLogRecorder;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code <Stomp>} appender as Log4j builds it from a realistic XML configuration, against a real broker process. */
class StompAppenderTest extends AppenderBrokerTest {

    @AfterEach
    void clearContext() {
        ThreadContext.clearAll();
    }

    @Test
    void everyRecordArrivesWithItsFieldsAndErrorsFatalsAndPanicMarkersAlsoOnThePanicQueue() throws Exception {
        // given
        String thread = Thread.currentThread().getName();
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, broker.uri())) {
            Logger logger = log4j.context().getLogger("org.dq.dcs.Calculator");
            IllegalStateException failure = new IllegalStateException("Pixel failed", new IOException("disk gone"));
            failure.addSuppressed(new IllegalArgumentException("cleanup failed"));

            // when
            logger.trace("tracing {}", "detail");
            logger.debug("debugging");
            ThreadContext.put("run", "261070");
            ThreadContext.put("system", "Pixel");
            logger.info("run {}: {} systems done", 261070, 12);
            ThreadContext.clearAll();
            logger.warn(MarkerManager.getMarker("AUDIT"), "disk {} almost full", "/data");
            logger.error("run {}: Pixel failed", 261070, failure);
            logger.fatal("cannot continue");
            logger.info(MarkerManager.getMarker("PANIC"), "operator attention needed");

            // then
            LogRecord info = central.awaitMessage("run 261070: 12 systems done");
            assertProducedHere(info, app, Level.INFO, "org.dq.dcs.Calculator", thread);
            assertThat(info.mdc()).containsExactly(Map.entry("run", "261070"), Map.entry("system", "Pixel"));
            assertThat(info.exception()).isNull();

            LogRecord error = central.awaitMessage("run 261070: Pixel failed");
            assertProducedHere(error, app, Level.ERROR, "org.dq.dcs.Calculator", thread);
            assertThat(error.mdc()).isEmpty();
            assertThat(error.exception().className()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.exception().message()).isEqualTo("Pixel failed");
            assertThat(error.exception().stackTrace())
                    .contains("Caused by: java.io.IOException: disk gone")
                    .contains("Suppressed: java.lang.IllegalArgumentException: cleanup failed");

            LogRecord fatal = central.awaitMessage("cannot continue");
            LogRecord marked = central.awaitMessage("operator attention needed");
            assertScenarioPanics(central, error, fatal, marked, "everyRecordArrivesWithItsFields", "org.apache.logging.log4j");
            assertNoPanic(central, info);
            assertNoPanics(central, "disk /data almost full", "tracing detail", "debugging");
            assertExactlyTheRecordsLogged(central, 7);
            assertThat(Files.readString(dir.resolve("app.log"), StandardCharsets.UTF_8))
                    .contains("operator attention needed").contains("Caused by: java.io.IOException: disk gone");
        }
    }

    @Test
    void withPanicLevelFatalAnErrorIsNoPanicButAFatalIs() throws Exception {
        // given
        System.setProperty("dqlog.test.panicLevel", "FATAL");
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, broker.uri())) {
            Logger logger = log4j.context().getLogger("org.dq.web.Display");

            // when
            logger.error("an ordinary error");
            logger.fatal("a real disaster");

            // then
            LogRecord fatal = central.awaitMessage("a real disaster");
            central.awaitPanicCount(1);
            assertPanicCopy(central, fatal);
            assertNoPanic(central, central.awaitMessage("an ordinary error"));
        }
    }

    @Test
    void theRedactAttributeHidesWhatItsPatternMatchesInAPanicsCommandLine() throws Exception {
        // given an operator pattern, in the appender's redact attribute only, that matches a program argument
        String argument = lastProgramArgument();
        System.setProperty("dqlog.test.redact", Pattern.quote(argument));
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, broker.uri())) {

            // when the application panics
            log4j.context().getLogger("org.dq.Secretive").fatal("a panic with a secret argument");

            // then the panic carries *** in the argument's place
            assertPanicHidesArgument(central, "a panic with a secret argument", argument);
        }
    }

    @Test
    void withoutBrokersTheAppenderIsNotBuiltTheStatusSaysWhyAndTheApplicationLogsOn() throws Exception {
        // given
        assumeNoBrokersConfigured();

        // when
        try (Log4jApp log4j = Log4jApp.start("log4j2-no-brokers.xml", dir, null)) {
            Logger logger = log4j.context().getLogger("org.dq.Tool");
            assertThatCode(() -> logger.error("still logging to the file")).doesNotThrowAnyException();

            // then
            assertThat(log4j.appender()).isNull();
            assertThat(log4j.status).anySatisfy(line -> assertThat(line)
                    .contains("dqlog Stomp appender 'CENTRAL' not started: no brokers")
                    .contains("dqlog.brokers").contains("DQLOG_BROKERS"));
            assertThat(Files.readString(dir.resolve("app.log"), StandardCharsets.UTF_8)).contains("still logging to the file");
        }
    }

    @Test
    void anUnreachableBrokerNeverBlocksNorThrowsIntoTheApplication() throws Exception {
        // given: a port nobody listens on, and a small queue that must overflow
        System.setProperty("dqlog.test.queueCapacity", "20");
        Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, unreachableBroker());
        Logger logger = log4j.context().getLogger("org.dq.Busy");
        StompManager manager = log4j.appender().getManager();

        // when / then: every call returns, none throws
        assertThatCode(() -> {
            for (int i = 0; i < 500; i++) {
                logger.error("record {} while the broker is away", i, new IllegalStateException("x"));
            }
        }).doesNotThrowAnyException();
        assertThat(manager.backend().sender().stats().accepted()).isPositive();
        await().atMost(Waits.CONDITION).until(() -> log4j.status.stream().anyMatch(s -> s.contains("dqlog")));
        assertThatCode(log4j::close).doesNotThrowAnyException();
        assertThat(manager.backend().sender().isClosed()).isTrue();
    }

    @Test
    void theBatchingAttributeReachesTheSender() throws Exception {
        // given: batching="false" in the XML (for a fleet whose collectors are older than batches)
        System.setProperty("dqlog.test.batching", "false");

        // when
        try (Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, unreachableBroker())) {
            // then
            assertThat(log4j.appender().getManager().backend().sender().config().batching()).isFalse();
        }
        System.clearProperty("dqlog.test.batching");
        try (Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, unreachableBroker())) {
            assertThat(log4j.appender().getManager().backend().sender().config().batching()).isTrue();
        }
    }

    @Test
    void reconfigurationKeepsTheLiveSenderAndLosesNoRecord() throws Exception {
        // given
        try (CentralLogRecorder central = CentralLogRecorder.subscribe(broker.uri());
             Log4jApp log4j = Log4jApp.start("log4j2-central.xml", dir, broker.uri())) {
            Logger logger = log4j.context().getLogger("org.dq.Reloaded");
            StompAppender before = log4j.appender();
            for (int i = 0; i < 50; i++) {
                logger.info("before {}", i);
            }

            // when: what monitorInterval does when the file changes
            log4j.context().reconfigure();
            for (int i = 0; i < 50; i++) {
                logger.info("after {}", i);
            }

            // then
            StompAppender after = log4j.appender();
            assertThat(after).isNotSameAs(before);
            assertThat(after.getManager()).isSameAs(before.getManager());
            assertThat(before.isStopped()).isTrue();
            assertThat(after.getManager().backend().sender().isClosed()).isFalse();
            await().atMost(CentralLogRecorder.DEFAULT_WAIT).until(() -> recordsOfThisTest(central).size() >= 100);
            assertThat(recordsOfThisTest(central)).hasSize(100);
            assertThat(log4j.status).noneSatisfy(line -> assertThat(line).contains("lost"));
        }
    }
}
