package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.dqlog.core.LogRecord;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.it.apps.Workload;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 with a real Log4j 2 application JVM (its own XML configuration, a persistent
 * {@code spoolDir}) and real brokers: the appender keeps its promise across a reconfiguration, a
 * short-lived program, a name service that does not answer, a burst at full speed and a spool
 * filled to its bound. Records are counted by run and seq (the application's MDC).
 */
class Log4jProducerPromiseTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Duration WAIT = Waits.CONDITION;
    private static final Framework LOG4J = Framework.LOG4J2;

    @TempDir
    Path temp;

    private Queues queues;
    private String test;

    @BeforeEach
    void nameQueues(TestInfo info) {
        test = info.getTestMethod().orElseThrow().getName();
        queues = Queues.named("promise." + test);
    }

    /** Defect 3: Log4j starts the new configuration before it stops the old one; the spool must pass from one sender to the next. */
    @Test
    void recordsLoggedAfterAReconfigurationThatChangesAnAttributeAreSpooledAndDeliveredLater() throws Exception {
        // given: no broker yet, an application that logged 100 records
        int port = Brokers.freePort();
        Path appDir = temp.resolve("app");
        App app = App.builder(LOG4J, appDir).brokers("tcp://127.0.0.1:" + port).queues(queues).run("before")
                .count(100).start().awaitSent();

        // when: its configuration changes one attribute (same spoolDir), it logs 100 more, and exits
        Path changed = App.configVariant(LOG4J, temp.resolve("log4j2-changed.xml"), "shutdownTimeout=\"5s\"",
                "shutdownTimeout=\"6s\"");
        app.process().writeStdin("reconfigure " + changed + "\n");
        app.process().awaitLine(Pattern.compile("^" + Workload.RECONFIGURED + "$"), WAIT);
        logMore(app, "after", 100);
        app.stop();

        // then: a broker comes up and the spool is drained: both runs arrive whole
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker").port(port).start();
        try (CentralLog central = CentralLog.subscribe(List.of(broker.uri()), queues)) {
            drain(broker, appDir.resolve("spool"));
            awaitSeqs(central, "before", 100, app);
            awaitSeqs(central, "after", 100, app);
        }
    }

    /** Defect 4: a short-lived program sends its spooled backlog during its run and its shutdown window. */
    @Test
    void aShortLivedProgramDeliversWhatItsEarlierRunSpooledBeforeItExits() throws Exception {
        // given: a run that logged 1,000 records while no broker was up, and exited
        int port = Brokers.freePort();
        Path appDir = temp.resolve("app");
        App offline = App.builder(LOG4J, appDir).brokers("tcp://127.0.0.1:" + port).queues(queues).run("offline")
                .count(1_000).start().awaitSent();
        offline.stop();

        // when: a broker is up, and the program runs again, logs one record and exits normally; its
        // shutdown window is generous, so that the verdict does not depend on how fast this machine
        // sends (the old sender never sent the spool's backlog at shutdown, however long the window)
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker").port(port).start();
        Path longWindow = App.configVariant(LOG4J, temp.resolve("log4j2-long-window.xml"), "shutdownTimeout=\"5s\"",
                "shutdownTimeout=\"60s\"");
        try (CentralLog central = CentralLog.subscribe(List.of(broker.uri()), queues)) {
            App online = App.builder(LOG4J, appDir).config(longWindow).brokers(broker.uri()).queues(queues)
                    .run("online").count(1).start().awaitSent();
            online.stop(Duration.ofSeconds(90));

            // then: with no process running any more, every record of both runs arrives
            awaitSeqs(central, "online", 1, online);
            awaitSeqs(central, "offline", 1_000, offline);
        }
    }

    /**
     * Defect 6: the broker's name is resolved on the sender's thread, never on the thread that
     * configures logging or logs. The name service here does not answer until the test releases it.
     */
    @Test
    void theApplicationLogsEverythingWhileTheBrokerNameCannotBeResolvedYet() throws Exception {
        // given: a broker reachable only as "localhost", whose lookup waits until released
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker").start();
        Path appDir = temp.resolve("app");
        try (CentralLog central = CentralLog.subscribe(List.of(broker.uri()), queues)) {
            App app = App.builder(LOG4J, appDir).brokers("tcp://localhost:" + broker.port()).queues(queues)
                    .run("dns").count(20).jvmOption("-Ddqlog.it.blockDns=localhost").start();

            // when: some thread of the application looks the name up
            MatchResult blocked = app.process().awaitLine(Pattern.compile("^dns-blocked (.*)$"), WAIT);

            // then: it is not a thread of the application (main configures logging, worker logs),
            // and every logging call returns while the lookup still waits
            assertThat(blocked.group(1)).as("thread waiting on the name service").isNotIn("main", Workload.THREAD);
            app.awaitSent();

            // and once the name service answers, everything arrives
            Files.createFile(appDir.resolve("dns-release"));
            awaitSeqs(central, "dns", 20, app);
            app.stop();
        }
    }

    /**
     * Issue 10's burst test: 50,000 records at full speed from a stock application into a healthy
     * broker: none dropped; what was still spooled at exit reaches the archive through
     * {@code dqlog spool drain}, without the application running again.
     */
    @Test
    void fiftyThousandRecordsAtFullSpeedAreNeverDroppedAndWhatWasSpooledAtExitIsDrainedByTheCommand() throws Exception {
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker").start();
        Path appDir = temp.resolve("app");
        try (CentralLog central = CentralLog.subscribe(List.of(broker.uri()), queues)) {
            // when: the application logs 50,000 records as fast as it can and exits
            App app = App.builder(LOG4J, appDir).brokers(broker.uri()).queues(queues).run("burst").count(50_000)
                    .start().awaitSent();
            app.stop();
            assertThat(app.process().lines()).as("status lines of the application").noneMatch(l -> l.contains("dropped"));

            // then: whatever the spool still holds is drained by the command, and every record arrives once
            drain(broker, appDir.resolve("spool"));
            awaitSeqs(central, "burst", 50_000, app);
            assertThat(central.loggingOf("burst")).as("distinct ids").hasSize(50_000);
        }
    }

    /**
     * Issue 10's full-spool test (and defect 7 through a real application): the drops are counted
     * with the spool, so the WARN record about them arrives after the application exited and
     * {@code dqlog spool drain} sent its spool.
     */
    @Test
    void aSpoolFilledToItsBoundCountsTheDropsAndTheirWarnRecordArrivesWhenTheSpoolIsDrainedAfterExit() throws Exception {
        // given: no broker, a spool of 256 KiB, more records than it holds
        int port = Brokers.freePort();
        Path appDir = temp.resolve("app");
        Path small = App.configVariant(LOG4J, temp.resolve("log4j2-small-spool.xml"), "shutdownTimeout=\"5s\"",
                "shutdownTimeout=\"5s\" spoolMaxBytes=\"256KB\"");
        App app = App.builder(LOG4J, appDir).config(small).brokers("tcp://127.0.0.1:" + port).queues(queues)
                .run("overflow").count(5_000).start().awaitSent();
        app.stop();

        // when: a broker is up and the operator drains the spool
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker").port(port).start();
        try (CentralLog central = CentralLog.subscribe(List.of(broker.uri()), queues)) {
            drain(broker, appDir.resolve("spool"));

            // then: a WARN record of the drop logger says how many records were lost (this broker serves this test only)
            await().atMost(WAIT).untilAsserted(() -> assertThat(dropReports(central)).as("drop reports").isNotEmpty());
            long reported = dropReports(central).stream()
                    .mapToLong(r -> Long.parseLong(r.mdc().getOrDefault("dropped", "0"))).sum();
            long arrived = central.seqsOf("overflow").size();
            assertThat(arrived).as("records that arrived").isLessThan(5_000);
            assertThat(reported).as("dropped records reported").isEqualTo(5_000 - arrived);
        }
    }

    private static List<LogRecord> dropReports(CentralLog central) {
        return central.logging().values().stream()
                .filter(r -> SenderConfig.DROPPED_RECORDS_LOGGER.equals(r.logger())).toList();
    }

    private static void logMore(App app, String run, int count) throws IOException {
        app.process().writeStdin("log " + run + " " + count + "\n");
        app.process().awaitLine(Pattern.compile("^" + Workload.LOGGED_PREFIX + run + " " + count + "$"), WAIT);
    }

    /** {@code dqlog spool drain} into the test's queues; exit 0 means every record was confirmed. */
    private void drain(BrokerProcess broker, Path spool) {
        Dqlog.Result drained = Dqlog.run(temp, Map.of("DQLOG_BROKERS", broker.uri()), "spool", "drain",
                "--logging-destination", queues.logging(), "--panic-destination", queues.panic(), spool.toString());
        assertThat(drained.exitCode()).as("dqlog spool drain: " + drained.out() + drained.err()).isZero();
    }

    private static void awaitSeqs(CentralLog central, String run, int count, App app) {
        Set<Integer> expected = IntStream.range(0, count).boxed().collect(Collectors.toCollection(TreeSet::new));
        try {
            await().atMost(WAIT).until(() -> central.seqsOf(run).size() >= count);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(central.seqsOf(run));
            throw new AssertionError(missing.size() + " of " + count + " records of run " + run + " never arrived, e.g. "
                    + missing.stream().limit(10).toList() + "; " + app.process().describe("was the application"), e);
        }
        assertThat(central.seqsOf(run)).as("the records of " + run).isEqualTo(expected);
    }
}
