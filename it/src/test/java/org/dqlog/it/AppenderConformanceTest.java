package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.subscribe.ConnectionState;
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
 * What every dqlog appender must do, written once and run against each framework by a subclass:
 * a real application JVM that configures its framework from its own XML file (a rolling file plus
 * our appender on the root logger), real broker processes that are down, killed or refuse the
 * password, and the central log read by a fan-in subscriber on every broker. Records are counted
 * by their {@code seq} (the application's MDC) and their id: what was logged is what arrives, once
 * per id, nothing missing and nothing extra.
 */
abstract class AppenderConformanceTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    private Queues queues;
    private String run;

    /** The framework under test. */
    abstract Framework framework();

    @BeforeEach
    void nameQueues(TestInfo test) {
        run = test.getTestMethod().orElseThrow().getName();
        queues = Queues.named(framework().name().toLowerCase() + "." + run);
    }

    @Test
    void theApplicationClassPathHasOnlyItsOwnFrameworkAndTheAppender() {
        // the other tests mean something only if the application JVM really lacks the other framework
        List<String> entries = framework().classpathEntries();
        assertThat(entries).anyMatch(e -> e.contains(framework() == Framework.LOG4J2 ? "log4j-core" : "logback-classic"));
        assertThat(entries).anyMatch(e -> e.contains(framework() == Framework.LOG4J2 ? "appender-log4j2" : "appender-logback"));
        assertThat(entries).noneMatch(e -> e.contains(framework() == Framework.LOG4J2 ? "logback" : "log4j-core"));
        assertThat(entries).noneMatch(e -> e.contains(framework() == Framework.LOG4J2 ? "slf4j" : "appender-log4j2"));
        assertThat(entries).noneMatch(e -> e.contains("activemq") || e.contains("junit") || e.contains("lucene"));
    }

    @Test
    void everyRecordArrivesOnceWithItsFieldsAndEveryErrorAndFatalAlsoAsAPanic() throws Exception {
        // given: two brokers, the central log on both, an application that knows both
        List<BrokerProcess> brokers = Brokers.startTwo(temp);
        try (CentralLog central = CentralLog.subscribe(Brokers.uriList(brokers), queues)) {
            App app = App.builder(framework(), temp.resolve("app")).brokers(Brokers.uris(brokers))
                    .queues(queues).run(run).count(1_000).start();

            // when
            app.awaitSent();

            // then: every record, once, with the fields of the call that made it
            awaitEverySeq(central, app);
            Map<String, LogRecord> records = central.loggingOf(run);
            assertThat(records).hasSize(app.count());
            for (LogRecord r : records.values()) {
                assertRecordOfTheCall(r, app);
            }
            // and each ERROR and FATAL record also on the panic queue, with the same id and the panic fields
            Set<String> panicIds = records.values().stream().filter(r -> r.level().compareTo(Level.ERROR) >= 0)
                    .map(LogRecord::id).collect(Collectors.toSet());
            assertThat(panicIds).hasSize(expectedPanics(app.count()));
            await().atMost(WAIT).until(() -> central.panicOf(run).keySet().containsAll(panicIds));
            assertThat(central.panicOf(run).keySet()).isEqualTo(panicIds);
            for (String id : panicIds) {
                assertPanicCopy(central, records.get(id));
            }
            assertThat(records.values()).filteredOn(r -> !panicIds.contains(r.id()))
                    .allSatisfy(r -> assertThat(r.panic()).as("panic flag of " + r).isFalse());
            assertThat(central.undecodable()).isEmpty();

            // and the application's own rolling file has every record too, and it stops cleanly
            app.stop();
            assertThat(Files.readAllLines(app.logFile())).filteredOn(l -> l.contains(" of " + run))
                    .hasSize(app.count());
        }
    }

    @Test
    void anApplicationStartedWhileNoBrokerIsUpNeverWaitsAndEverythingArrivesOnceBrokersStart() throws Exception {
        // given: the brokers' ports, with nothing listening on them yet
        int portA = Brokers.freePort();
        int portB = Brokers.freePort();
        App app = App.builder(framework(), temp.resolve("app"))
                .brokers("tcp://127.0.0.1:" + portA + ",tcp://127.0.0.1:" + portB)
                .queues(queues).run(run).count(1_000).start();

        // when: the application logs everything while no broker exists
        app.awaitSent();

        // then: it finished every logging call before any broker started, and is still running
        assertThat(app.process().isAlive()).isTrue();
        await().atMost(WAIT).until(() -> app.process().lines().stream().anyMatch(l -> l.contains("no broker reachable")));
        // (the spool opens on the sender's thread, so on a busy machine the first outage report may
        // come before it: the spool's segment files are the evidence, whenever they appear)
        await().atMost(WAIT).ignoreExceptions().until(() -> hasSpoolSegments(temp.resolve("app")));

        // when: the brokers start on their ports
        List<BrokerProcess> brokers = Brokers.startTwo(temp, portA, portB);
        try (CentralLog central = CentralLog.subscribe(Brokers.uriList(brokers), queues)) {
            // then: every record arrives, once per id, ERRORs on the panic queue too
            awaitEverySeq(central, app);
            assertThat(central.loggingOf(run)).hasSize(app.count());
            await().atMost(WAIT).until(() -> central.panicOf(run).size() == expectedPanics(app.count()));
            assertThat(central.undecodable()).isEmpty();
            app.stop();
        }
    }

    @Test
    void nothingIsLostWhenTheBrokerInUseIsKilledMidStreamAndRestarted() throws Exception {
        // given: two brokers, the central log on both, an application logging at a steady pace that
        // pauses half-way until the kill, so the kill falls inside its stream however slow the machine
        List<BrokerProcess> brokers = Brokers.startTwo(temp);
        try (CentralLog central = CentralLog.subscribe(Brokers.uriList(brokers), queues)) {
            App app = App.builder(framework(), temp.resolve("app")).brokers(Brokers.uris(brokers))
                    .queues(queues).run(run).count(4_000).perSecond(1_000).pauseAt(2_000).start();
            await().atMost(WAIT).until(() -> central.loggingOf(run).size() >= 600);

            // when: the broker that carries the records is SIGKILLed mid-stream
            int inUse = central.lastLoggingPort();
            BrokerProcess victim = brokers.get(0).port() == inUse ? brokers.get(0) : brokers.get(1);
            BrokerProcess survivor = victim == brokers.get(0) ? brokers.get(1) : brokers.get(0);
            long beforeKill = central.loggingOf(run).size();
            victim.kill();
            app.resume();
            // the application goes on, and the survivor takes the records
            await().atMost(WAIT).until(() -> central.loggingDeliveriesByPort().getOrDefault(survivor.port(), 0L) > 0);
            app.awaitSent();
            assertThat(beforeKill).as("killed mid-stream").isLessThan(app.count());

            // and is restarted on its data
            victim.restart();

            // then: every record arrived at least once (what the victim had stored comes after its restart),
            // and nothing else did
            awaitEverySeq(central, app);
            assertThat(central.loggingOf(run)).as("distinct ids").hasSize(app.count());
            assertThat(central.loggingDeliveries()).isGreaterThanOrEqualTo(app.count());
            await().atMost(WAIT).until(() -> central.panicOf(run).size() == expectedPanics(app.count()));
            assertThat(central.undecodable()).isEmpty();
            app.stop();
        }
    }

    @Test
    void aWrongPasswordIsReportedThroughTheFrameworksStatusAndTheApplicationCarriesOn() throws Exception {
        // given: a broker that takes only dqlog with the right passcode, and an application with a wrong one
        Path goodPasscode = Files.writeString(temp.resolve("broker.passcode"), "right-Passc0de\n");
        Path wrongPasscode = Files.writeString(temp.resolve("app.passcode"), "wrong-Passc0de\n");
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker-auth")
                .args("--user", "dqlog", "--passcode-file", goodPasscode.toString()).start();
        try (CentralLog central = CentralLog.subscribe(List.of(broker.uri()), queues,
                Credentials.of("dqlog", "right-Passc0de"))) {
            await().atMost(WAIT).until(() -> central.subscriber().brokers().get(0).state() == ConnectionState.CONNECTED);
            App app = App.builder(framework(), temp.resolve("app")).brokers(broker.uri()).queues(queues).run(run)
                    .count(200).jvmOption("-Ddqlog.login=dqlog").jvmOption("-Ddqlog.passcodeFile=" + wrongPasscode)
                    .start();

            // when
            app.awaitSent();

            // then: the framework's status channel says why nothing is delivered, without the passcode
            await().atMost(WAIT).until(() -> app.process().lines().stream().anyMatch(AppenderConformanceTest::saysLoginFailed));
            assertThat(app.process().lines()).noneMatch(l -> l.contains("Passc0de"));
            // and the application is unaffected: its own file has everything, and it stops in time
            assertThat(Files.readAllLines(app.logFile())).filteredOn(l -> l.contains(" of " + run)).hasSize(app.count());
            app.stop();
            // and the broker did let nothing in
            assertThat(central.loggingOf(run)).isEmpty();
        }
    }

    /** A status line from dqlog that passes on the broker's refusal of the login (ActiveMQ's words). */
    private static boolean saysLoginFailed(String line) {
        return line.contains("dqlog") && line.contains("password is invalid");
    }

    private static int expectedPanics(int count) {
        return (int) IntStream.range(0, count).filter(seq -> Workload.levelOf(seq).compareTo(Level.ERROR) >= 0).count();
    }

    private static void awaitEverySeq(CentralLog central, App app) {
        Set<Integer> expected = IntStream.range(0, app.count()).boxed().collect(Collectors.toCollection(TreeSet::new));
        try {
            await().atMost(WAIT).until(() -> central.seqsOf(app.run()).size() >= app.count());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(central.seqsOf(app.run()));
            throw new AssertionError(missing.size() + " of " + app.count() + " records never arrived, e.g. "
                    + missing.stream().limit(10).toList() + "; " + app.process().describe("was the application"), e);
        }
        assertThat(central.seqsOf(app.run())).as("the records logged, nothing else").isEqualTo(expected);
    }

    /** The fields of record {@code seq} as the application's logging call made it. */
    private static void assertRecordOfTheCall(LogRecord r, App app) {
        int seq = Integer.parseInt(r.mdc().get(Workload.MDC_SEQ));
        assertThat(r.id()).as("id").matches("[0-9a-z]{12}-\\d+");
        assertThat(r.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(r.ts()).as("ts").isBetween(Instant.now().minus(10, ChronoUnit.MINUTES), Instant.now());
        assertThat(r.host()).as("host").isEqualTo(ProcessInfo.hostName());
        assertThat(r.app()).as("app").isEqualTo(app.appName());
        assertThat(r.pid()).as("pid").isEqualTo(app.process().pid());
        assertThat(r.level()).as("level of " + seq).isEqualTo(Workload.levelOf(seq));
        assertThat(r.logger()).isEqualTo(Workload.LOGGER);
        assertThat(r.thread()).isEqualTo(Workload.THREAD);
        assertThat(r.message()).isEqualTo(Workload.message(app.run(), seq));
        assertThat(r.mdc()).containsEntry(Workload.MDC_RUN, app.run());
        if (Workload.hasException(seq)) {
            assertThat(r.exception()).as("exception of " + seq).isNotNull();
            assertThat(r.exception().className()).isEqualTo(IllegalStateException.class.getName());
            assertThat(r.exception().message()).isEqualTo("pixel " + seq + " failed");
            assertThat(r.exception().stackTrace())
                    .contains("Caused by: java.io.IOException: disk gone while reading pixel " + seq)
                    .contains("org.dqlog.it.apps.Workload");
        } else {
            assertThat(r.exception()).as("exception of " + seq).isNull();
        }
    }

    /** The panic queue's copy: the same record, a Panic message, with what the on-call expert needs. */
    private static void assertPanicCopy(CentralLog central, LogRecord logged) {
        LogRecord panic = central.panic().get(logged.id());
        assertThat(panic).as("panic copy of " + logged.id()).isEqualTo(logged);
        assertThat(logged.panic()).isTrue();
        assertThat(central.panicHeaders(logged.id())).containsEntry(MessageHeaders.MSG_TYPE, LogRecord.TYPE_PANIC)
                .containsEntry(MessageHeaders.MSG_CLASS, MessageHeaders.MSG_CLASS_DQ);
        assertThat(logged.command()).as("command").isNotBlank();
        assertThat(logged.cwd()).as("cwd").isNotBlank();
        assertThat(logged.traceback()).as("traceback").isNotEmpty();
        assertThat(logged.usrtime()).as("usrtime").isNotBlank();
        if (logged.exception() != null) {
            assertThat(logged.traceback().get(0)).startsWith("java.lang.IllegalStateException: pixel ");
        }
    }


    /** Whether a spool segment file ({@code *.seg}) exists anywhere below {@code dir}. */
    private static boolean hasSpoolSegments(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".seg"));
        }
    }
}
