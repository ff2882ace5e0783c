package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.AsyncSender;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dqlog spool ls|drain} on spools an application's sender left, against a real broker process. */
class SpoolCommandTest {

    static final Duration WAIT = Waits.CONDITION;

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    Path temp;

    @Test
    void lsShowsTheRecordsWaitingPerClassTheOldestAndThatTheLockIsFree() throws Exception {
        // given: an application that spooled 30 INFO records and 2 panics while no broker was up, and exited
        Path spool = temp.resolve("spool");
        spoolWhileOffline(spool, 30, 2);

        // when
        Cli.Result r = cli("tcp://127.0.0.1:1").run("spool", "ls", spool.toString());

        // then
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.lines().get(0)).startsWith(spool.toRealPath() + ": 32 records, ").contains("oldest 20")
                .contains("lock free");
        assertThat(r.lines()).anyMatch(l -> l.matches("\\s+PANIC\\s+2 records.*oldest 20.*"))
                .anyMatch(l -> l.matches("\\s+INFO\\s+30 records.*"));
    }

    @Test
    void lsOfAFolderOfSpoolsListsEachAndSaysWhichAreHeldByARunningProcess() throws Exception {
        // given: a spool root with a free spool and one that a running process holds
        Path root = temp.resolve("dqlog-spool-ops");
        spoolWhileOffline(root.resolve("cron-job"), 5, 0);
        ChildProcess holder = holdSpool(root.resolve("daemon"), 7);

        // when
        Cli.Result r = cli("tcp://127.0.0.1:1").run("spool", "ls", root.toString());

        // then
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("cron-job: 5 records").contains("daemon: 7 records")
                .contains("held by pid " + holder.pid());
        assertThat(new Cli(Map.of(), temp).run("spool", "ls", temp.resolve("nothing").toString()).exitCode())
                .isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void drainSendsEveryWaitingRecordToTheBrokerPanicsAlsoToThePanicQueueAndEmptiesTheSpool() throws Exception {
        // given: a spool left by an application, and a broker
        Path spool = temp.resolve("spool");
        List<String> ids = spoolWhileOffline(spool, 40, 3);
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        try (Reader logging = new Reader(broker, Destinations.LOGGING); Reader panics = new Reader(broker, Destinations.PANIC)) {

            // when
            Cli.Result r = cli(broker.uri()).run("spool", "drain", spool.toString());

            // then: exit 0, every record arrived, the panics on both queues, and nothing waits any more
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("sent 43 record(s), refused 0");
            await().atMost(WAIT).until(() -> logging.ids.containsAll(ids));
            assertThat(logging.ids).containsExactlyInAnyOrderElementsOf(ids);
            await().atMost(WAIT).until(() -> panics.ids.size() == 3);
            assertThat(cli(broker.uri()).run("spool", "ls", spool.toString()).out()).contains(": 0 records");
        }
    }

    @Test
    void drainRefusesASpoolHeldByARunningProcessAndLeavesItAlone() throws Exception {
        Path spool = temp.resolve("held");
        ChildProcess holder = holdSpool(spool, 4);

        Cli.Result r = cli("tcp://127.0.0.1:1").run("spool", "drain", spool.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("not drained").contains("pid " + holder.pid());
        assertThat(cli("tcp://127.0.0.1:1").run("spool", "ls", spool.toString()).out()).contains(": 4 records");
    }

    @Test
    void drainWithoutAReachableBrokerExitsOneAndKeepsEveryRecord() throws Exception {
        Path spool = temp.resolve("spool");
        spoolWhileOffline(spool, 10, 1);

        Cli.Result r = cli("tcp://127.0.0.1:" + freePort()).run("spool", "drain", "--timeout", "2s", spool.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_MATCH);
        assertThat(r.err()).contains("stays in the spool");
        assertThat(r.out() + r.err()).doesNotContain("Exception");
        assertThat(cli("tcp://127.0.0.1:1").run("spool", "ls", spool.toString()).out()).contains(": 11 records");
    }

    private Cli cli(String brokers) {
        return new Cli(Map.of("DQLOG_BROKERS", brokers), temp);
    }

    /** What an application leaves: a sender without a broker spools {@code logs} INFO records and {@code panics} panics, then closes. */
    static List<String> spoolWhileOffline(Path spool, int logs, int panics) throws IOException {
        AsyncSender sender = AsyncSender.start(SenderConfig.builder().settings(ClientSettings.of(Map.of(), Map.of()))
                .brokers("tcp://127.0.0.1:" + freePort()).app("spool-cli-test").host("testhost").spoolDir(spool)
                .reconnectDelayMin(Duration.ofMillis(200)).shutdownTimeout(Duration.ofSeconds(2)).build(), Status.SILENT);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < logs + panics; i++) {
            boolean panic = i >= logs;
            LogRecord r = LogRecord.builder().id(sender.nextId()).level(panic ? Level.ERROR : Level.INFO).panic(panic)
                    .logger("org.dqlog.test.Spool").message("record " + i).build();
            assertThat(sender.submit(r)).isTrue();
            ids.add(r.id());
        }
        await().atMost(WAIT).until(() -> sender.stats().spooled() == logs + panics);
        sender.close();
        return ids;
    }

    /** A child process that holds the spool in {@code dir} (with {@code records} INFO records) until the test ends. */
    static ChildProcess holdSpool(Path dir, int records) throws IOException {
        ChildProcess holder = ChildProcess.java("org.dqlog.core.spool.SpoolLockHolder").name("spool-holder")
                .args("hold", dir.toString(), Integer.toString(records)).start();
        holder.awaitLine(Pattern.compile("^HELD$"), WAIT);
        return holder;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The record ids that arrive on one queue. */
    static final class Reader implements AutoCloseable {
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        private final StompSession session;

        Reader(BrokerProcess broker, String destination) throws IOException {
            session = StompSession.open(BrokerAddress.parse(broker.uri()), SessionConfig.DEFAULTS, new SessionListener() {
                @Override
                public void onMessage(StompSession s, Frame message) {
                    try {
                        ids.add(RecordCodec.decode(message.body()).id());
                    } catch (Exception e) {
                        ids.add("undecodable: " + e.getMessage());
                    }
                }

                @Override
                public void onClosed(StompSession s, Throwable cause) { }
            });
            session.subscribe(destination, destination, AckMode.AUTO, Map.of());
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
