package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.Destinations;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.RecordIds;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dqlog panic} and {@code dqlog run} against a real broker process, read by a raw STOMP consumer. */
class PanicAndRunCommandTest {

    static final Duration WAIT = Waits.CONDITION;

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    static Path brokerDir;
    static BrokerProcess broker;

    @TempDir
    Path cwd;

    String app;
    StompSession consumer;
    final BlockingQueue<Frame> panics = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = BrokerProcess.start(brokerDir.resolve("broker"));
    }

    @BeforeEach
    void subscribeToThePanicQueue() throws IOException {
        app = "cli-test-" + RecordIds.randomInstanceId().toLowerCase();
        consumer = StompSession.open(BrokerAddress.parse(broker.uri()), SessionConfig.DEFAULTS, new SessionListener() {
            @Override
            public void onMessage(StompSession session, Frame message) {
                panics.add(message);
            }

            @Override
            public void onClosed(StompSession session, Throwable cause) { }
        });
        consumer.subscribe("panics", Destinations.PANIC, AckMode.AUTO, Map.of("selector", "app = '" + app + "'"));
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    private Cli cli(String brokers) {
        return new Cli(Map.of("DQLOG_BROKERS", brokers, "DQLOG_APP", app), cwd);
    }

    private LogRecord nextPanic() throws Exception {
        return RecordCodec.decode(nextPanicFrame().body());
    }

    private Frame nextPanicFrame() throws Exception {
        Frame f = panics.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(f).as("a panic on " + Destinations.PANIC).isNotNull();
        assertThat(f.header("MsgType")).isEqualTo("Panic");
        return f;
    }

    @Test
    void panicSendsTheMessageWithTheFactsOfTheCallerAndPrintsNothing() throws Exception {
        Cli.Result r = cli(broker.uri()).run("panic", "--command", "/opt/dq/check-disk.sh", "disk", "/data", "full");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        LogRecord p = nextPanic();
        assertThat(p.message()).isEqualTo("disk /data full");
        assertThat(p.panic()).isTrue();
        assertThat(p.app()).isEqualTo(app);
        assertThat(p.command()).isEqualTo("/opt/dq/check-disk.sh");
        assertThat(p.cwd()).isEqualTo(cwd.toString());
        assertThat(p.host()).isNotBlank();
        assertThat(p.ts()).isNotNull();
        assertThat(p.time()).isNotNull();
        assertThat(p.usrtime()).isNotBlank();
        assertThat(p.id()).isNotBlank();
    }

    @Test
    void panicWithoutAReachableBrokerSaysSoAndExitsOne() {
        Cli.Result r = cli("tcp://127.0.0.1:1").run("panic", "--timeout", "1s", "nobody hears this");
        Cli.Result unset = new Cli(Map.of(), cwd).run("panic", "nobody hears this");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("dqlog: panic not sent: ");
        assertThat(r.err().strip()).doesNotContain("\n");
        assertThat(unset.exitCode()).isEqualTo(1);
        assertThat(unset.err()).contains("DQLOG_BROKERS");
    }

    @Test
    void runPassesOutputThroughExitsWithTheStatusAndPanicsWithTheOutputTail() throws Exception {
        Cli.Result r = cli(broker.uri()).run("run", "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.rawOut()).isEqualTo("out\n");
        assertThat(r.rawErr()).isEqualTo("err\n");
        assertThat(r.err()).isEmpty();
        LogRecord p = nextPanic();
        assertThat(p.message()).isEqualTo("command failed with exit status 3: sh -c 'echo out; echo err >&2; exit 3'");
        // stdout and stderr are read by two threads: their relative order in the tail is not defined
        assertThat(p.traceback()).containsExactlyInAnyOrder("out\n", "err\n");
        assertThat(p.mdc()).containsEntry("exitStatus", "3");
        assertThat(p.command()).isEqualTo("sh");
        assertThat(p.arguments()).containsExactly("-c", "echo out; echo err >&2; exit 3");
        assertThat(p.app()).isEqualTo(app);
    }

    @Test
    void runOfASucceedingCommandSendsNoPanic() throws Exception {
        Cli.Result r = cli(broker.uri()).run("run", "sh", "-c", "echo fine");
        // a marker sent after it must be the first panic of this app on the queue
        cli(broker.uri()).run("panic", "marker");

        assertThat(r.exitCode()).isZero();
        assertThat(r.rawOut()).isEqualTo("fine\n");
        assertThat(nextPanic().message()).isEqualTo("marker");
    }

    @Test
    void runOfACommandKilledByASignalExitsWith128PlusTheSignal() throws Exception {
        Cli.Result r = cli(broker.uri()).run("run", "--", "sh", "-c", "echo dying; kill -9 $$");

        assertThat(r.exitCode()).isEqualTo(137);
        LogRecord p = nextPanic();
        assertThat(p.message()).contains("exit status 137 (killed by signal 9?)");
        assertThat(p.traceback()).containsExactly("dying\n");
    }

    @Test
    void runWithoutAReachableBrokerSaysSoAndStillExitsWithTheCommandsStatus() {
        Cli.Result r = cli("tcp://127.0.0.1:1").run("run", "--timeout", "1s", "--", "sh", "-c", "exit 4");

        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).startsWith("dqlog: sh failed (exit status 4) but the panic was not sent: ");
    }

    @Test
    void runOfAMissingCommandExits127AndPanics() throws Exception {
        Cli.Result r = cli(broker.uri()).run("run", "--", "/no/such/command", "x");

        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.err()).startsWith("dqlog: cannot run /no/such/command: ");
        assertThat(nextPanic().message()).startsWith("cannot run: /no/such/command x");
    }

    @Test
    void runWithoutACommandIsBadUsage() {
        Cli.Result r = cli(broker.uri()).run("run");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("dqlog: Missing required parameter");
        assertThat(List.of(r.rawOut(), r.rawErr())).containsOnly("");
    }

    @Test
    void runSendsNoSecretOfTheCommandLine() throws Exception {
        Cli.Result r = cli(broker.uri()).run("run", "--", "sh", "-c", "exit 3", "mysql", "--password", "SEPARATE1",
                "--password=EQUALS1", "--db-password=ZDB1", "-pMYSQL1", "https://u:URLPW1@h/");

        assertThat(r.exitCode()).isEqualTo(3);
        Frame f = nextPanicFrame();
        assertThat(new String(f.body(), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("SEPARATE1", "EQUALS1", "ZDB1", "MYSQL1", "URLPW1");
        LogRecord p = RecordCodec.decode(f.body());
        assertThat(p.arguments()).containsExactly("-c", "exit 3", "mysql", "--password", "***", "--password=***",
                "--db-password=***", "-p***", "https://u:***@h/");
        assertThat(p.message()).endsWith("mysql --password '***' '--password=***' '--db-password=***' '-p***' "
                + "'https://u:***@h/'");
    }

    @Test
    void panicSendsNoSecretOfTheCallersCommandLine() throws Exception {
        Cli.Result r = cli(broker.uri()).run("panic", "--command", "backup.sh --pass=PASS1 --key KEY1", "backup failed");

        assertThat(r.exitCode()).isZero();
        LogRecord p = nextPanic();
        assertThat(p.command()).isEqualTo("backup.sh --pass=*** --key ***");
    }

    @Test
    void operatorPatternsFromTheEnvironmentRedactToo() throws Exception {
        Cli.Result r = new Cli(Map.of("DQLOG_BROKERS", broker.uri(), "DQLOG_APP", app, "DQLOG_REDACT", "vault:\\w+"), cwd)
                .run("run", "--", "sh", "-c", "exit 5", "x", "vault:SECRET1");

        assertThat(r.exitCode()).isEqualTo(5);
        LogRecord p = nextPanic();
        assertThat(p.arguments()).containsExactly("-c", "exit 5", "x", "***");
        assertThat(p.message()).doesNotContain("SECRET1");
    }

    @Test
    void panicAndRunWarnOnceAboutAPasscodeFileOthersCanReadAndAPasscodeOverPlainTcp() throws Exception {
        // given a passcode file that everyone may read (the test broker takes any passcode)
        Path file = java.nio.file.Files.writeString(cwd.resolve("passcode"), "s3cret\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Cli cli = new Cli(Map.of("DQLOG_BROKERS", broker.uri(), "DQLOG_APP", app, "DQLOG_LOGIN", "dq",
                "DQLOG_PASSCODE_FILE", file.toString()), cwd);

        // when
        Cli.Result panic = cli.run("panic", "disk full");
        Cli.Result run = cli.run("run", "--", "sh", "-c", "exit 2");

        // then each says so once, naming the file and its mode, and still sends its panic
        for (Cli.Result r : List.of(panic, run)) {
            assertThat(r.err().lines().toList()).containsExactly(
                    "dqlog: warning: the passcode file " + file + " is readable by others (mode rw-r--r--); "
                            + "make it owner-only: chmod 600 " + file,
                    "dqlog: warning: the broker passcode goes in clear over plain TCP to " + broker.uri()
                            + "; use ssl:// (TLS) brokers");
        }
        assertThat(nextPanic().message()).isEqualTo("disk full");
        assertThat(nextPanic().message()).contains("exit status 2");
    }
}
