package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dqlog.core.Destinations;
import org.dqlog.core.stomp.Frame;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dqlog listen} as a real process (a child JVM) against real brokers: CMD per message,
 * durable subscriptions across a restart of the listener, a broker killed under it.
 */
class ListenCommandTest {

    static final Duration WAIT = Waits.CONDITION;
    /** CMD of the tests: appends "MsgType id body-on-one-line" to the file $1. */
    static final String RECORD = "printf '%s %s %s\\n' \"$DQLOG_MSGTYPE\" \"$DQLOG_ID\" \"$(tr -d '\\n')\" >> \"$1\"";

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    static Path brokerDir;
    static BrokerProcess brokerA;
    static BrokerProcess brokerB;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokers() throws IOException {
        brokerA = BrokerProcess.start(brokerDir.resolve("broker-a"));
        brokerB = BrokerProcess.start(brokerDir.resolve("broker-b"));
    }

    @AfterAll
    static void stopBrokers() {
        brokerA.close();
        brokerB.close();
    }

    private static String uris(BrokerProcess... brokers) {
        return Arrays.stream(brokers).map(BrokerProcess::uri).collect(Collectors.joining(","));
    }

    private ChildProcess listen(String brokers, String... args) throws IOException {
        return ChildProcess.java(DqlogChild.class.getName()).args("listen").args(args)
                .env("DQLOG_BROKERS", brokers).removeEnv("DQLOG_APP").workingDir(dir).name("dqlog-listen").start();
    }

    private String[] recordTo(Path out, String... options) {
        List<String> args = new ArrayList<>(Arrays.asList(options));
        args.addAll(List.of("--", "/bin/sh", "-c", RECORD, "sh", out.toString()));
        return args.toArray(new String[0]);
    }

    private Cli.Result notify(BrokerProcess broker, String... fields) {
        List<String> args = new ArrayList<>(List.of("notify", "RunEnd"));
        args.addAll(Arrays.asList(fields));
        return new Cli(Map.of("DQLOG_BROKERS", broker.uri()), dir).run(args.toArray(new String[0]));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /**
     * Notifies {@code broker} until a RunEnd with {@code marker} reached {@code out} (a
     * subscription the broker has not registered yet misses a message: resend, with a new id).
     */
    private void notifyUntilHeard(BrokerProcess broker, String marker, Path out) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (lines(out).stream().anyMatch(l -> l.contains("\"marker\":\"" + marker + "\""))) {
                return true;
            }
            notify(broker, "marker=\"" + marker + "\"");
            return false;
        });
    }

    /** The run fields of the RunEnds CMD recorded, sorted. */
    private static List<String> runs(Path out) throws IOException {
        return lines(out).stream().filter(l -> l.contains("\"run\":"))
                .map(l -> l.replaceAll(".*\"run\":(\\d+).*", "$1")).sorted().collect(Collectors.toList());
    }

    @Test
    void runsCmdForARunEndThatStompPySendsAsTheFleetDoesAndNotForARunStart() throws Exception {
        // given
        StompPy.assumeInstalled();
        Path out = dir.resolve("out.txt");
        ChildProcess listener = listen(uris(brokerA, brokerB), recordTo(out, "--type", "RunEnd"));
        listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerA.uri())), WAIT);

        // when: stomp.py sends RunStart then the fixture's RunEnd, again until one arrived
        Path stop = dir.resolve("stop");
        Process python = new ProcessBuilder(StompPy.PYTHON.toString(),
                StompPy.resource("python/send_fixture.py", dir).toString(), Integer.toString(brokerA.port()),
                StompPy.resource("fixtures/progress-runend.stomp.json", dir).toString(), stop.toString())
                .redirectErrorStream(true).start();
        await().atMost(WAIT).until(() -> !lines(out).isEmpty());
        Files.createFile(stop);
        String pythonOutput = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(pythonOutput).isZero();

        // then: only RunEnds, each with its body on stdin and headers in the environment
        List<String> received = lines(out);
        assertThat(received).isNotEmpty().allSatisfy(line -> {
            assertThat(line).startsWith("RunEnd msgid:ID:");
            assertThat(line).contains("\"run\": 261222").contains("\"run_type\": \"LEDandLumat\"");
        });
        assertThat(listener.isAlive()).isTrue();
    }

    @Test
    void aDurableListenerStoppedWhileThreeMessagesWerePublishedGetsAllThreeWhenItStartsAgain() throws Exception {
        // given: a durable listener on both brokers, known to be subscribed (it heard a marker)
        Path out = dir.resolve("out.txt");
        String[] args = recordTo(out, "--type", "RunEnd", "--durable", "dq-signoff-test");
        ChildProcess first = listen(uris(brokerA, brokerB), args);
        first.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerB.uri())), WAIT);
        first.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerA.uri())), WAIT);
        notifyUntilHeard(brokerA, "before-a", out);
        notifyUntilHeard(brokerB, "before-b", out);
        ChildProcess second = listen(uris(brokerA, brokerB), args);
        assertThat(second.waitFor(WAIT)).isTrue();
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", second.stderrLines())).contains("durable subscription 'dq-signoff-test' is in use");
        assertThat(first.terminate()).isTrue();

        // when: three messages while no listener runs, on either broker
        assertThat(notify(brokerA, "run=1").exitCode()).isZero();
        assertThat(notify(brokerB, "run=2").exitCode()).isZero();
        assertThat(notify(brokerA, "run=3").exitCode()).isZero();
        ChildProcess again = listen(uris(brokerA, brokerB), args);

        // then: each once (a repeat would come before the markers sent after them)
        await().atMost(WAIT).until(() -> runs(out).size() >= 3);
        notifyUntilHeard(brokerA, "after-a", out);
        notifyUntilHeard(brokerB, "after-b", out);
        assertThat(runs(out)).containsExactly("1", "2", "3");
        assertThat(again.terminate()).isTrue();
        Cli.Result removed = new Cli(Map.of("DQLOG_BROKERS", uris(brokerA, brokerB)), dir)
                .run("listen", "--unsubscribe", "dq-signoff-test");
        Cli.Result gone = new Cli(Map.of("DQLOG_BROKERS", uris(brokerA, brokerB)), dir)
                .run("listen", "--unsubscribe", "dq-signoff-test");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.err()).contains(brokerA.uri() + ": removed").contains(brokerB.uri() + ": removed");
        assertThat(gone.exitCode()).as(gone.err()).isZero();
        assertThat(gone.err()).contains(brokerA.uri() + ": none there");
    }

    @Test
    void aBrokerKilledUnderTheListenerLeavesTheOtherAndTheRestartedOneIsPickedUp() throws Exception {
        // given: a listener consuming from both brokers (one of this test's own: the reaper ends its restarted process)
        BrokerProcess brokerC = BrokerProcess.start(dir.resolve("broker-c"));
        Path out = dir.resolve("out.txt");
        ChildProcess listener = listen(uris(brokerC, brokerB), recordTo(out));
        listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerC.uri())), WAIT);
        listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerB.uri())), WAIT);
        notifyUntilHeard(brokerC, "a-before", out);

        // when
        brokerC.kill();
        long mark = listener.lineCount();
        notifyUntilHeard(brokerB, "b-while-a-down", out);
        brokerC.restart();
        listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerC.uri())), WAIT, mark);

        // then
        notifyUntilHeard(brokerC, "a-after-restart", out);
        assertThat(listener.isAlive()).isTrue();
    }

    @Test
    void aMessageSentAgainWithTheSameIdRunsCmdOnce() throws Exception {
        // given
        Path out = dir.resolve("out.txt");
        ChildProcess listener = listen(uris(brokerA, brokerB), recordTo(out));
        listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerA.uri())), WAIT);
        listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerB.uri())), WAIT);
        notifyUntilHeard(brokerA, "a-ready", out);
        notifyUntilHeard(brokerB, "b-ready", out);

        // when: a resend, as after a lost receipt: the same id through the other broker
        assertThat(notify(brokerA, "id=resent-1", "run=9").exitCode()).isZero();
        assertThat(notify(brokerB, "id=resent-1", "run=9").exitCode()).isZero();
        notifyUntilHeard(brokerA, "a-after", out);
        notifyUntilHeard(brokerB, "b-after", out);

        // then
        assertThat(lines(out).stream().filter(l -> l.contains("resent-1"))).hasSize(1);
    }

    @Test
    void aFailingCmdIsReportedOnStderrAndAsAPanicAndTheNextMessageStillRuns() throws Exception {
        // given: a consumer of the panic queue, and a CMD that fails for run 1 only
        RawConsumer panics = RawConsumer.open(brokerA.uri(), Destinations.PANIC, "app = 'listen-failing'");
        Path out = dir.resolve("out.txt");
        String failOnRunOne = RECORD + "; tail -n1 \"$1\" | grep -q '\"run\":1,' && exit 3; exit 0";
        ChildProcess listener = ChildProcess.java(DqlogChild.class.getName())
                .args("listen", "--type", "RunEnd", "--panic-on-failure", "--app", "listen-failing", "--",
                        "/bin/sh", "-c", failOnRunOne, "sh", out.toString())
                .env("DQLOG_BROKERS", brokerA.uri()).workingDir(dir).name("dqlog-listen").start();
        try {
            listener.awaitLine(Pattern.compile("consuming from " + Pattern.quote(brokerA.uri())), WAIT);
            notifyUntilHeard(brokerA, "ready", out);

            // when
            assertThat(notify(brokerA, "run=1", "x=y").exitCode()).isZero();
            assertThat(notify(brokerA, "run=2", "x=y").exitCode()).isZero();

            // then
            await().atMost(WAIT).until(() -> runs(out).equals(List.of("1", "2")));
            listener.awaitLine(Pattern.compile("dqlog: listen: /bin/sh exited with status 3 on RunEnd message "), WAIT);
            Frame panic = panics.next(WAIT);
            assertThat(panic).isNotNull();
            assertThat(panic.bodyAsString()).contains("exited with status 3 on RunEnd message");
            assertThat(listener.isAlive()).isTrue();
        } finally {
            panics.close();
        }
    }

    @Test
    void withoutCmdItPrintsJsonLinesAndStopsWhenItsReaderIsGoneLikeGrepInAPipe() throws Exception {
        // given: standard output that takes one line, then breaks (as 'dqlog listen | head -1')
        StringBuilder taken = new StringBuilder();
        java.io.Writer oneLine = new java.io.Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                if (taken.indexOf("\n") >= 0) {
                    throw new IOException("Broken pipe");
                }
                taken.append(buf, off, len);
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        java.util.concurrent.CompletableFuture<Integer> exit = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                new Cli(Map.of("DQLOG_BROKERS", brokerA.uri()), dir).run(new java.io.PrintWriter(oneLine),
                        new java.io.StringWriter(), "listen", "--type", "RunEnd"));

        // when: RunEnds until it stopped
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (exit.isDone()) {
                return true;
            }
            notify(brokerA, "run=261222");
            return false;
        });

        // then
        assertThat(exit.get()).isZero();
        String line = taken.toString();
        assertThat(line).startsWith("{\"id\":\"").contains("\"broker\":\"" + brokerA.uri() + "\"")
                .contains("\"MsgType\":\"RunEnd\"").contains("\"run\":261222}}");
    }
}
