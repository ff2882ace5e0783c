package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dqlog.cli.up.MailSink;
import org.dqlog.collector.Collector;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.core.Destinations;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.stomp.Frame;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Python client (clients/python, over Debian's stomp.py) against real brokers, the real collector and dqlog. */
class PythonClientTest {

    static final Duration WAIT = Waits.CONDITION;
    /** The package in this repository: search-cli's tests run in search-cli/. */
    static final Path PACKAGE = Path.of("..", "clients", "python").toAbsolutePath().normalize();

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

    @BeforeEach
    void needsStompPy() throws Exception {
        StompPy.assumeInstalled();
        assertThat(PACKAGE.resolve("dqlog/__init__.py")).exists();
    }

    private ProcessBuilder python(String script, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(StompPy.PYTHON.toString(),
                StompPy.resource("python/" + script, dir).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", PACKAGE.toString());
        pb.environment().put("DQLOG_BROKERS", brokerA.uri() + "," + brokerB.uri());
        pb.environment().put("DQLOG_APP", "py-merge");
        return pb;
    }

    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void thePackagesOwnUnitTestsPass() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(StompPy.PYTHON.toString(), "-m", "unittest", "discover", "-s", "tests")
                .directory(PACKAGE.toFile()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", PACKAGE.toString());

        String output = run(pb);

        assertThat(output).contains("OK");
    }

    @Test
    void recordsLoggedFromPythonAreArchivedAndFoundBySearchAndItsPanicsAreMailed() throws Exception {
        // given: a collector on both brokers, mailing to a local SMTP sink
        Path data = dir.resolve("data");
        Path yaml = dir.resolve("collector.yaml");
        Path mails = dir.resolve("mails");
        String marker = "pymark" + System.nanoTime();
        try (MailSink smtp = MailSink.start(InetAddress.getLoopbackAddress(), 0, mails)) {
            Files.writeString(yaml, "brokers:\n  - " + brokerA.uri() + "\n  - " + brokerB.uri() + "\n"
                    + "data: " + data + "\nhttp:\n  port: 0\nindex:\n  commitInterval: 200ms\n"
                    + "mail:\n  smtp:\n    host: 127.0.0.1\n    port: " + smtp.port() + "\n    starttls: \"off\"\n"
                    + "  from: dqlog@localhost\n  to: oncall@localhost\n  retryInitialBackoff: 200ms\n"
                    + "  retryMaxBackoff: 1s\n");
            collectAndMail(yaml, data, mails, marker);
        }
    }

    private void collectAndMail(Path yaml, Path data, Path mails, String marker) throws Exception {
        try (Collector collector = Collector.start(CollectorConfig.load(yaml, Map.of(), Map.of()), Status.SILENT)) {

            // when
            String output = run(python("log_records.py", marker));

            // then: three records, the ERROR once although it also travelled as a panic
            assertThat(output).contains("sent 3 dropped 0");
            Cli search = new Cli(Map.of(), dir);
            await().atMost(WAIT).until(() -> search.run("search", "--data", data.toString(), "--json", marker)
                    .lines().size() == 3);
            List<String> lines = search.run("search", "--data", data.toString(), "--json", marker).lines();
            LogRecord info = RecordCodec.decode(lines.stream().filter(l -> l.contains("python info")).findFirst().orElseThrow());
            LogRecord warn = RecordCodec.decode(lines.stream().filter(l -> l.contains("python warning")).findFirst().orElseThrow());
            LogRecord error = RecordCodec.decode(lines.stream().filter(l -> l.contains("python error")).findFirst().orElseThrow());
            assertThat(info.level().name()).isEqualTo("INFO");
            assertThat(info.app()).isEqualTo("py-merge");
            assertThat(info.logger()).isEqualTo("dq.merge");
            assertThat(warn.level().name()).isEqualTo("WARN");
            assertThat(warn.mdc()).containsEntry("run", "261222").containsEntry("stream", "physics_Main");
            assertThat(error.level().name()).isEqualTo("ERROR");
            assertThat(error.panic()).isTrue();
            assertThat(error.exception().className()).isEqualTo("ZeroDivisionError");
            assertThat(error.exception().stackTrace()).contains("1 / 0");
            Cli.Result byLevel = search.run("search", "--data", data.toString(), "--level", "WARN", "--count", marker);
            assertThat(byLevel.out().strip()).isEqualTo("2");

            // and: the ERROR's panic copy and a panic() are mailed, once each
            run(python("send_panic.py", "python panic " + marker));
            await().atMost(WAIT).until(() -> mailsContaining(mails, marker).size() == 2);
            assertThat(mailsContaining(mails, "python error " + marker)).hasSize(1);
            assertThat(mailsContaining(mails, "python panic " + marker)).hasSize(1);
        }
    }

    private static List<Path> mailsContaining(Path folder, String text) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    return false; // being written: the next poll reads it
                }
            }).collect(java.util.stream.Collectors.toList());
        }
    }

    @Test
    void aPythonListenerOnTwoBrokersReceivesDqlogNotify() throws Exception {
        // given
        ChildProcess listener = ChildProcess.command(python("listen_print.py",
                brokerA.uri() + "," + brokerB.uri(), "MsgType = 'RunEnd'").command())
                .env("PYTHONPATH", PACKAGE.toString()).workingDir(dir).name("python-listen").start();
        listener.awaitLine(Pattern.compile("^STARTED$"), WAIT);

        // when: dqlog notify through each broker in turn, until heard (a subscription not yet registered misses one)
        for (BrokerProcess broker : List.of(brokerA, brokerB)) {
            String marker = "via-" + broker.port();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (listener.stdoutLines().stream().anyMatch(l -> l.contains(marker))) {
                    return true;
                }
                new Cli(Map.of("DQLOG_BROKERS", broker.uri()), dir).run("notify", "RunEnd", "run=261222", "via=" + marker);
                new Cli(Map.of("DQLOG_BROKERS", broker.uri()), dir).run("notify", "RunStart", "run=261223", "via=" + marker);
                return false;
            });
        }

        // then: the RunEnds, typed as notify types them, and never a RunStart
        assertThat(listener.stdoutLines()).filteredOn(l -> l.startsWith("{")).isNotEmpty().allSatisfy(line -> {
            assertThat(line).contains("\"MsgType\": \"RunEnd\"").contains("\\\"run\\\":261222");
        });
    }

    @Test
    void aPythonPanicCarriesTheToolingsFieldsAndHeadersPlusIdHostAppLevel() throws Exception {
        // given
        RawConsumer panics = RawConsumer.open(brokerB.uri(), Destinations.PANIC, "app = 'py-panic'");
        try {
            // when: the first broker is away, so the panic fails over to the second
            ProcessBuilder pb = python("send_panic.py", "DCS Calculator failed in run 261070", "-r", "261070");
            pb.environment().put("DQLOG_BROKERS", "tcp://127.0.0.1:1," + brokerB.uri());
            pb.environment().put("DQLOG_APP", "py-panic");
            run(pb);

            // then
            Frame f = panics.next(WAIT);
            assertThat(f).isNotNull();
            assertThat(f.headers()).containsEntry("MsgClass", "DQ").containsEntry("MsgType", "Panic")
                    .containsEntry("persistent", "true").containsEntry("app", "py-panic").containsEntry("level", "FATAL");
            LogRecord p = RecordCodec.decode(f.body());
            assertThat(p.message()).isEqualTo("DCS Calculator failed in run 261070");
            assertThat(p.command()).endsWith("send_panic.py");
            assertThat(p.arguments()).containsExactly("DCS Calculator failed in run 261070", "-r", "261070");
            assertThat(p.traceback()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("  File \""));
            assertThat(p.cwd()).isEqualTo(dir.toString());
            assertThat(p.time()).isNotNull();
            assertThat(p.usrtime()).isNotBlank();
            assertThat(p.id()).isNotBlank();
            assertThat(p.host()).isNotBlank();
            assertThat(p.app()).isEqualTo("py-panic");
            String body = new String(f.body(), StandardCharsets.UTF_8);
            assertThat(body).contains("\"msg\":\"DCS Calculator failed in run 261070\"").doesNotContain("\"message\"");
        } finally {
            panics.close();
        }
    }

    @Test
    void theHandlerDropsWhatItsQueueCannotHoldWhileNoBrokerRunsAndReportsTheCountOnceOneDoes() throws Exception {
        // given: a port where no broker runs yet
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ChildProcess py = ChildProcess.command(python("log_while_away.py").command()).env("PYTHONPATH", PACKAGE.toString())
                .env("DQLOG_BROKERS", "tcp://127.0.0.1:" + port).env("DQLOG_APP", "py-away")
                .workingDir(dir).name("python-away").start();

        // when: 20 records into a queue of 5, then the broker comes up
        java.util.regex.MatchResult dropped = py.awaitLine(Pattern.compile("^DROPPED (\\d+)$"), WAIT);
        BrokerProcess late = BrokerProcess.builder(dir.resolve("late-broker")).port(port).start();
        py.writeStdin("go\n");
        java.util.regex.MatchResult done = py.awaitLine(Pattern.compile("^SENT (\\d+) DROPPED (\\d+)$"), WAIT);
        assertThat(py.waitFor(WAIT)).isTrue();

        // then: what was not dropped arrived, and a WARN record of dqlog.dropped says how many were
        int droppedCount = Integer.parseInt(dropped.group(1));
        assertThat(droppedCount).isBetween(14, 15); // the queue's 5, and perhaps one the sender thread held
        assertThat(Integer.parseInt(done.group(2))).isEqualTo(droppedCount);
        assertThat(Integer.parseInt(done.group(1))).isEqualTo(20 - droppedCount);
        RawConsumer records = RawConsumer.open(late.uri(), Destinations.LOGGING, null);
        try {
            List<LogRecord> received = new java.util.ArrayList<>();
            for (int i = 0; i < 20 - droppedCount + 1; i++) {
                Frame f = records.next(WAIT);
                assertThat(f).as("record " + i).isNotNull();
                received.add(RecordCodec.decode(f.body()));
            }
            assertThat(received).filteredOn(r -> "dqlog.dropped".equals(r.logger())).singleElement()
                    .satisfies(r -> {
                        assertThat(r.level().name()).isEqualTo("WARN");
                        assertThat(r.message()).isEqualTo("dqlog dropped " + droppedCount
                                + " record(s): the handler's queue was full");
                    });
            assertThat(received).filteredOn(r -> r.message().startsWith("while away ")).hasSize(20 - droppedCount);
        } finally {
            records.close();
        }
    }
}
