package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the collector keeps from others: file modes, and what it warns about. One real broker, real SMTP. */
class CollectorSecurityTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Duration WAIT = Waits.CONDITION;

    @TempDir
    static Path brokerDir;
    static BrokerProcess broker;

    @TempDir
    Path dir;

    @RegisterExtension
    final ClosedAfterEach toClose = new ClosedAfterEach();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = BrokerProcess.start(brokerDir.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    /** Runs a collector until it archived a record, mailed a panic and wrote a dead letter, then stops it. */
    private void fillDataDirectory(CollectorYaml yaml, Smtp smtp) throws Exception {
        Collector collector = Collector.start(yaml.config(), TestBrokers.WARNINGS);
        try (Sender sender = new Sender(broker.uri())) {
            sender.send(yaml.logging(), TestRecords.log("mode-1", "node1"));
            sender.send(yaml.panic(), TestRecords.panic("mode-2", "node1", "mode check"));
            sender.sendRaw(yaml.logging(), Map.of("MsgClass", "DQ"), "not json".getBytes(StandardCharsets.UTF_8));
            Archive archive = new Archive(yaml.data());
            await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 2 && smtp.subjects().size() == 1
                    && archive.deadLetters().size() == 1 && Files.exists(yaml.data().resolve("notified.ids")));
        } finally {
            collector.close();
        }
    }

    /** Mode of every directory and file under {@code top}, by path relative to it. */
    private static Map<String, String> modes(Path top) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (var paths = Files.walk(top)) {
            for (Path p : paths.toList()) {
                modes.put((Files.isDirectory(p) ? "dir " : "file ") + top.relativize(p),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return modes;
    }

    @Test
    void dataDirectoryFilesIndexDeadLettersOutboxAndNotifiedIdsAreOwnerOnly() throws Exception {
        // given a collector whose data directory does not exist yet
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = new CollectorYaml(List.of(broker.uri()), dir.resolve("data"), "modes")
                .mail(smtp.port(), "2s");

        // when it has stored what it stores
        fillDataDirectory(yaml, smtp);

        // then group and others can do nothing with any of it
        Map<String, String> modes = modes(yaml.data());
        assertThat(modes.keySet()).contains("dir index", "dir deadletter", "dir mail-outbox", "file notified.ids",
                "dir logs/node1");
        assertThat(modes).allSatisfy((path, mode) ->
                assertThat(mode).as(path).isEqualTo(path.startsWith("dir ") ? "rwx------" : "rw-------"));
    }

    @Test
    void withPrivateFilesOffTheDataDirectorysOwnModeIsFollowed() throws Exception {
        // given a data directory that an operator made readable for a group
        Smtp smtp = closing(new Smtp().start());
        Path data = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        CollectorYaml yaml = new CollectorYaml(List.of(broker.uri()), data, "shared").mail(smtp.port(), "2s")
                .extra("security:\n  privateFiles: false\n");

        // when
        fillDataDirectory(yaml, smtp);

        // then
        assertThat(modes(yaml.data())).allSatisfy((path, mode) ->
                assertThat(mode).as(path).isEqualTo(path.startsWith("dir ") ? "rwxr-x---" : "rw-r-----"));
    }

    @Test
    void warnsOnceAtStartAboutExposedPasscodeFilesAPasscodeOverTcpAndAnSmtpLoginWithoutTls() throws Exception {
        // given passcode files others can read, a tcp:// broker (it takes any passcode) and SMTP without TLS
        Path broker1 = Files.writeString(dir.resolve("broker.pass"), "s3cret\n");
        Path smtp1 = Files.writeString(dir.resolve("smtp.pass"), "m41l\n");
        for (Path f : List.of(broker1, smtp1)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        }
        CollectorYaml yaml = new CollectorYaml(List.of(broker.uri()), dir.resolve("data"), "warn")
                .extra("login: dq\npasscodeFile: " + broker1 + "\n"
                        + "mail:\n  smtp: {host: 127.0.0.1, port: 2525, starttls: off, login: dq, passcodeFile: " + smtp1
                        + "}\n  to: [oncall@example.org]\n");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.dqlog.core.Status status = new org.dqlog.core.Status() {
            @Override public void info(String message) { }
            @Override public void warn(String message, Throwable cause) { warnings.add(message); }
            @Override public void error(String message, Throwable cause) { warnings.add("ERROR " + message); }
        };

        // when
        closing(Collector.start(yaml.config(), status));

        // then
        assertThat(warnings).startsWith(
                "the passcode file " + broker1 + " is readable by others (mode rw-r-----); make it owner-only: chmod 600 " + broker1,
                "the broker passcode goes in clear over plain TCP to " + broker.uri() + "; use ssl:// (TLS) brokers",
                "mail.smtp: the passcode file " + smtp1 + " is readable by others (mode rw-r-----); make it owner-only: chmod 600 " + smtp1,
                "mail.smtp: the SMTP login sends its password in clear (starttls: off); use starttls: required");
        assertThat(String.join("\n", warnings)).doesNotContain("s3cret", "m41l");
    }

    @Test
    void aRecordSentAsAnotherHostIsStoredWithTheBrokerAuthenticatedUserOfItsSender() throws Exception {
        // given a broker with one user per producer, which stamps each message with its sender (JMSXUserID)
        org.dqlog.testkit.SecurityFile security = org.dqlog.testkit.SecurityFile.create()
                .user("node1", "pass-node1", "producers").user("collector", "pass-collector", "consumers")
                .queue("jmsx.>", "consumers", "producers", "producers,consumers")
                .writeTo(dir.resolve("security.txt"));
        try (BrokerProcess secured = BrokerProcess.builder(dir.resolve("secured")).name("secured-broker")
                .security(security).start()) {
            CollectorYaml trusting = new CollectorYaml(List.of(secured.uri()), dir.resolve("data"), "jmsx.t")
                    .extra("login: collector\npasscode: pass-collector\nsecurity:\n  trustBrokerUser: true\n");
            CollectorYaml doubting = new CollectorYaml(List.of(secured.uri()), dir.resolve("data2"), "jmsx.d")
                    .extra("login: collector\npasscode: pass-collector\n");
            closing(Collector.start(trusting.config(), TestBrokers.WARNINGS));
            closing(Collector.start(doubting.config(), TestBrokers.WARNINGS));

            // when node1 sends a record that says it comes from node9, claiming a user in the MDC too
            org.dqlog.core.publish.Publisher node1 = org.dqlog.core.publish.Publisher.builder(
                    List.of(org.dqlog.core.config.BrokerAddress.parse(secured.uri())))
                    .sessionConfig(org.dqlog.core.stomp.SessionConfig.builder()
                            .credentials(org.dqlog.core.config.Credentials.of("node1", "pass-node1")).build())
                    .status(org.dqlog.core.Status.SILENT).build();
            closing(node1::close);
            org.dqlog.core.LogRecord forged = TestRecords.log("forged-1", "node9").toBuilder()
                    .putMdc("dqlog.brokerUser", "someone-else").build();
            for (CollectorYaml y : List.of(trusting, doubting)) {
                node1.publish(List.of(org.dqlog.core.publish.OutboundMessage.of(y.logging(),
                        org.dqlog.core.WireMessages.sendHeaders(forged, y.logging()),
                        org.dqlog.core.RecordCodec.encode(forged))));
            }

            // then each collector stores the broker's word on the sender: verified where it trusts the broker
            Archive a = new Archive(trusting.data());
            Archive b = new Archive(doubting.data());
            await().atMost(WAIT).until(() -> a.fileRecords().size() == 1 && b.fileRecords().size() == 1);
            assertThat(a.fileRecords().get(0).record().host()).isEqualTo("node9");
            assertThat(a.fileRecords().get(0).record().mdc()).containsEntry("dqlog.brokerUser", "node1")
                    .doesNotContainKey("dqlog.brokerUserUnverified");
            assertThat(b.fileRecords().get(0).record().mdc()).containsEntry("dqlog.brokerUserUnverified", "node1")
                    .doesNotContainKey("dqlog.brokerUser");
        }
    }
}
