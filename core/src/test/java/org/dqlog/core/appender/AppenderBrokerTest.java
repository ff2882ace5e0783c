package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.PanicFields;
import org.dqlog.core.Redaction;
import org.dqlog.core.RecordIds;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of an appender's tests against one real broker process per test class. Each test gets a
 * folder ({@code dqlog.test.dir} in the framework's XML) and an application name of its own
 * ({@code dqlog.test.app}), so that it counts exactly its own records on the shared queues.
 * The framework's XML reads the other {@code dqlog.test.*} system properties, cleared after each test.
 */
public abstract class AppenderBrokerTest {

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    static Path brokerDir;
    protected static BrokerProcess broker;

    @TempDir
    protected Path dir;
    protected String app;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = BrokerProcess.start(brokerDir.resolve("broker"));
    }

    @BeforeEach
    void uniqueApp() {
        app = "appender-test-" + RecordIds.randomInstanceId();
        System.setProperty("dqlog.test.app", app);
    }

    @AfterEach
    void clearTestProperties() {
        for (String name : List.of("app", "dir", "brokers", "panicLevel", "queueCapacity", "redact", "batching")) {
            System.clearProperty("dqlog.test." + name);
        }
    }

    /** This test's records on the logging queue. */
    protected List<LogRecord> recordsOfThisTest(CentralLogRecorder central) {
        return central.logging().values().stream().filter(r -> app.equals(r.app())).collect(Collectors.toList());
    }

    /**
     * The three panics of the standard scenario: an ERROR with an exception whose message is
     * "Pixel failed", a FATAL without one (its traceback is the call stack from {@code method},
     * without the frames of {@code frameworkPackage}), and an INFO with a PANIC marker; the
     * appender's extra header {@code service=dq-test} is on the panic copies.
     */
    protected static void assertScenarioPanics(CentralLogRecorder central, LogRecord error, LogRecord fatal,
            LogRecord marked, String method, String frameworkPackage) {
        central.awaitPanicCount(3);
        AppenderChecks.assertPanicCopy(central, error);
        assertThat(error.traceback().get(0)).isEqualTo("java.lang.IllegalStateException: Pixel failed\n");
        AppenderChecks.assertPanicCopy(central, fatal);
        assertThat(fatal.level()).isEqualTo(Level.FATAL);
        assertThat(fatal.traceback()).as("the call stack, without the framework's frames")
                .anySatisfy(line -> assertThat(line).contains(method))
                .noneSatisfy(line -> assertThat(line).contains(frameworkPackage));
        AppenderChecks.assertPanicCopy(central, marked);
        assertThat(marked.level()).isEqualTo(Level.INFO);
        assertThat(central.panicHeaders(marked.id())).containsEntry("service", "dq-test");
    }

    /**
     * Exactly {@code count} records of this test arrived, each once, all decodable: the appender,
     * on the root logger at TRACE, never logged into itself.
     */
    protected void assertExactlyTheRecordsLogged(CentralLogRecorder central, int count) {
        assertThat(recordsOfThisTest(central)).hasSize(count);
        assertThat(central.duplicates()).isZero();
        assertThat(central.undecodable()).isEmpty();
    }

    /**
     * This JVM's last program argument, which a panic of the appender carries: a test makes the
     * appender's {@code redact} attribute match it. Skips the test when there is none to match.
     */
    protected static String lastProgramArgument() {
        List<String> arguments = PanicFields.ofThisProcess(Redaction.DEFAULT).arguments();
        assumeThat(arguments).as("this JVM's program arguments").isNotEmpty();
        String last = arguments.get(arguments.size() - 1);
        assumeThat(last).as("an argument without white space or ***").doesNotContainAnyWhitespaces()
                .isNotEqualTo(Redaction.REDACTED);
        return last;
    }

    /** The panic copy of the record logged with {@code message} shows {@code argument} as ***, the logging copy too. */
    protected static void assertPanicHidesArgument(CentralLogRecorder central, String message, String argument) {
        LogRecord logged = central.awaitMessage(message);
        central.awaitPanicCount(1);
        LogRecord panic = central.panic().get(logged.id());
        assertThat(panic.arguments()).contains(Redaction.REDACTED).doesNotContain(argument);
        assertThat(panic.command() + " " + panic.arguments() + " " + logged.arguments()).doesNotContain(argument);
    }

    /** A STOMP URI where nobody listens. */
    protected static String unreachableBroker() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** Skips the test where the environment names brokers (the appender would start from it). */
    protected static void assumeNoBrokersConfigured() {
        assumeThat(System.getenv("DQLOG_BROKERS")).as("DQLOG_BROKERS must not be set for this test").isNull();
        assumeThat(System.getProperty("dqlog.brokers")).isNull();
    }
}
