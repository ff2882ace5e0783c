package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.dqlog.archive.StoredRecords;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.collector.config.Durations;
import org.dqlog.collector.mail.Notifier;
import org.dqlog.core.LogRecord;
import org.dqlog.core.WireMessages;
import org.dqlog.core.testing.MutableClock;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Panics through the daemon in this JVM: two real broker processes, a real SMTP server
 * (GreenMail) on loopback. Each test has destinations of its own.
 */
class CollectorPanicTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    @RegisterExtension
    static final TwoBrokers BROKERS = new TwoBrokers();

    static final Duration WAIT = Waits.CONDITION;
    static final Duration STORM_WINDOW = Duration.ofSeconds(2);
    /** The Python tooling's panic, as it travels (headers and body). */
    static final Path PYTHON_PANIC = Path.of("..", "core", "src", "test", "resources", "fixtures",
            "panic-python.stomp.json");

    @TempDir
    Path dir;

    @RegisterExtension
    final ClosedAfterEach toClose = new ClosedAfterEach();

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private CollectorYaml yaml(String prefix, Smtp smtp) {
        return new CollectorYaml(BROKERS.uris(), dir.resolve("data"), prefix)
                .mail(smtp.port(), Durations.format(STORM_WINDOW));
    }

    private Collector start(CollectorConfig config) throws IOException {
        return closing(Collector.start(config, TestBrokers.WARNINGS));
    }

    @Test
    void stormOfIdenticalPanicsBecomesOneMailAndOneFollowUpWithTheCount() throws Exception {
        // given 200 identical panics on both queues of both brokers, and a mail clock that stands
        // still, so all of them fall inside one storm window however long the collector takes
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("storm", smtp);
        List<LogRecord> panics = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            panics.add(TestRecords.panic("storm-" + i, "node7", "Reconstruction crashed"));
        }
        Sender a = closing(new Sender(BROKERS.a().uri()));
        Sender b = closing(new Sender(BROKERS.b().uri()));
        a.send(yaml.logging(), panics.subList(0, 100));
        a.send(yaml.panic(), panics.subList(0, 100));
        b.send(yaml.panic(), panics.subList(100, 200));
        b.send(yaml.logging(), panics.subList(100, 200));
        MutableClock mailClock = new MutableClock(Instant.parse("2026-01-05T10:15:30Z"));

        // when the collector consumes them
        Collector collector = closing(Collector.start(yaml.config(), TestBrokers.WARNINGS, mailClock));

        // then each is archived once, and the first one is mailed at once
        Archive archive = new Archive(yaml.data());
        Notifier notifier = collector.notifier().orElseThrow();
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 200 && notifier.panicsAccepted() == 200);
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0)).isEqualTo("[dqlog panic] node7 dcsc: Reconstruction crashed");

        // when the storm window ends
        mailClock.advance(STORM_WINDOW);

        // then one follow-up counts the rest, and nothing more is mailed
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 2);
        assertThat(smtp.subjects().get(1)).isEqualTo("[dqlog panic] node7 dcsc: Reconstruction crashed (x199)");
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> smtp.subjects().size() == 2);
    }

    @Test
    void aPanicIsMailedAndArchivedWithoutWaitingForItsBatchToFill() throws Exception {
        // given: batches that would wait an hour for 500 messages (issue 11: a panic waited the
        // pipeline's whole batch delay), and a mail clock that stands still
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("nowait", smtp).batch(500, "1h");
        MutableClock mailClock = new MutableClock(Instant.parse("2026-01-05T10:15:30Z"));
        Collector collector = closing(Collector.start(yaml.config(), TestBrokers.WARNINGS, mailClock));

        // when one panic arrives alone on the panic queue
        closing(new Sender(BROKERS.a().uri())).send(yaml.panic(), TestRecords.panic("alone-1", "node5", "disk gone"));

        // then it is mailed and archived long before any batch could fill or time out
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0)).isEqualTo("[dqlog panic] node5 dcsc: disk gone");
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("alone-1"));
        assertThat(collector.metrics().panicsReceived()).isEqualTo(1);
    }

    @Test
    void errorRecordOnBothQueuesIsArchivedOnceAndMailedOnceWhicheverCopyComesFirst() throws Exception {
        // given
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("both", smtp);
        start(yaml.config());
        Sender a = closing(new Sender(BROKERS.a().uri()));
        Sender b = closing(new Sender(BROKERS.b().uri()));
        LogRecord logFirst = TestRecords.errorRecord("err-1", "web-01", "render failed");
        LogRecord panicFirst = TestRecords.errorRecord("err-2", "web-02", "upload failed");
        Archive archive = new Archive(yaml.data());

        // when the log copy of one arrives (and is archived) before its panic copy
        a.send(yaml.logging(), logFirst);
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("err-1"));
        b.send(yaml.panic(), logFirst);
        // and the panic copy of the other arrives first, then its log copy
        a.send(yaml.panic(), panicFirst);
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("err-2"));
        b.send(yaml.logging(), panicFirst);

        // then each is archived once and mailed once
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 2);
        assertThat(smtp.subjects()).containsExactlyInAnyOrder("[dqlog panic] web-01 webdisplay: render failed",
                "[dqlog panic] web-02 webdisplay: upload failed");

        // when a producer resends the panic copies (a failover after a lost receipt)
        a.send(yaml.panic(), List.of(logFirst, panicFirst));
        b.send(yaml.panic(), List.of(logFirst, panicFirst));

        // then nothing is mailed or archived again
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 2);
        await().during(Duration.ofSeconds(3)).atMost(Waits.CONDITION).until(() -> smtp.subjects().size() == 2);
        assertThat(archive.idCountsInFiles()).containsOnly(Map.entry("err-1", 1), Map.entry("err-2", 1));
    }

    @Test
    void panicMailArrivesOnceTheSmtpServerComesUp() throws Exception {
        // given an SMTP server that is not running yet
        Smtp smtp = closing(new Smtp());
        CollectorYaml yaml = yaml("smtpdown", smtp);
        Collector collector = start(yaml.config());

        // when a panic arrives
        closing(new Sender(BROKERS.a().uri())).send(yaml.panic(), TestRecords.panic("down-1", "node3", "beam lost"));

        // then it is archived and queued for mail (so acknowledged), while the mail waits
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("down-1"));
        // the file is written first, then the panic handed to the outbox: wait for both
        await().atMost(WAIT).until(() -> outboxFiles(yaml) == 1);
        assertThat(collector.metrics().exposition()).contains("dqlog_collector_panic_mails_sent_total 0");

        // when the server starts
        smtp.start();

        // then the mail arrives
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0)).isEqualTo("[dqlog panic] node3 dcsc: beam lost");
        await().atMost(WAIT).until(() -> collector.metrics().exposition()
                .contains("dqlog_collector_panic_mails_sent_total 1"));
    }

    @Test
    void panicIsMailedWhileTheDiskIsBelowItsThresholdAndArchivedOnceSpaceReturns() throws Exception {
        // given a collector that has no room to store
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("fullmail", smtp).minFreeBytes("900TB");
        Collector collector = start(yaml.config());
        Archive archive = new Archive(yaml.data());

        // when a panic arrives
        closing(new Sender(BROKERS.a().uri())).send(yaml.panic(), TestRecords.panic("full-1", "node9", "disk nearly full"));

        // then it is mailed, though not stored
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0)).isEqualTo("[dqlog panic] node9 dcsc: disk nearly full");
        assertThat(archive.idCountsInFiles()).isEmpty();

        // when space returns
        collector.diskSpaceGuard().setMinFreeBytes(0);

        // then it is archived once and not mailed again
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("full-1"));
        await().during(Duration.ofSeconds(2)).atMost(Waits.CONDITION).until(() -> smtp.subjects().size() == 1);
        assertThat(archive.idCountsInFiles()).containsOnly(Map.entry("full-1", 1));
    }

    @Test
    void aPanicIsMailedWhileTheStoreIsBusyWithTheLoggingQueueAndArchivedOnceItIsFree() throws Exception {
        // given: the store busy as during a long index commit of the logging pipeline (its lock held)
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("busy", smtp);
        Collector collector = start(yaml.config());
        Archive archive = new Archive(yaml.data());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            synchronized (collector.store()) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "test-busy-store");
        busy.start();
        held.await();

        // when a panic arrives
        try {
            closing(new Sender(BROKERS.a().uri())).send(yaml.panic(), TestRecords.panic("busy-1", "node3", "beam lost"));

            // then its mail goes out without waiting for the store
            await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
            assertThat(smtp.subjects().get(0)).isEqualTo("[dqlog panic] node3 dcsc: beam lost");
            assertThat(archive.idCountsInFiles()).isEmpty();
        } finally {
            release.countDown();
        }

        // and once the store is free it is archived, once, and not mailed again
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("busy-1"));
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> smtp.subjects().size() == 1);
    }

    @Test
    void pythonPanicIsArchivedUnderUnknownHostAndMailed() throws Exception {
        // given the Python tooling's panic, headers and body exactly as it sends them
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("python", smtp);
        start(yaml.config());
        Map<String, String> headers = new LinkedHashMap<>();
        String body = readFixture(headers);

        // when it arrives on the panic queue
        closing(new Sender(BROKERS.b().uri())).sendRaw(yaml.panic(), headers, body.getBytes(StandardCharsets.UTF_8));

        // then it is archived under unknown-host, with its message and time taken from msg and time
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.fileRecords().size() == 1);
        StoredRecords.Stored stored = archive.fileRecords().get(0);
        assertThat(stored.hostDir()).isEqualTo(WireMessages.UNKNOWN_HOST);
        assertThat(stored.record().host()).isEqualTo(WireMessages.UNKNOWN_HOST);
        assertThat(stored.record().id()).startsWith(WireMessages.MESSAGE_ID_PREFIX);
        assertThat(stored.record().message()).isEqualTo("DCS Calculator failed to execute in run 261070 for system Pixel");
        assertThat(stored.record().ts()).isBetween(java.time.Instant.parse("2015-04-13T10:02:57.907Z"),
                java.time.Instant.parse("2015-04-13T10:02:57.909Z"));
        assertThat(stored.record().panic()).isTrue();
        await().atMost(WAIT).until(() -> archive.indexCountByHost(WireMessages.UNKNOWN_HOST) == 1);
        // and mailed, with its command and traceback
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0)).contains("unknown-host").contains("dcsc.py")
                .contains("DCS Calculator failed to execute in run 261070 for system Pixel");
        assertThat(smtp.body(0)).contains("/usr/local/bin/dcsc.py").contains("panic(msg)");
    }

    @Test
    void pythonPanicWithSecretsInItsCommandLineIsRedactedBeforeMailAndArchive() throws Exception {
        // given a collector with an operator pattern, and a Python panic whose arguments carry secrets
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("pyredact", smtp).extra("security:\n  redact: ['vault:\\w+']\n");
        start(yaml.config());

        // when it arrives
        closing(new Sender(BROKERS.b().uri())).sendRaw(yaml.panic(), PYTHON_HEADERS, pythonPanic(
                "backup of --password PYSECRET1 failed", "--password", "PYSECRET2", "--api-key=PYSECRET3",
                "https://dq:PYSECRET4@db.cern.ch/x", "vault:PYSECRET5", "--run", "42"));

        // then neither the mail, the file nor the index holds a secret
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0) + smtp.body(0)).doesNotContain("PYSECRET").contains("--run 42");
        await().atMost(WAIT).until(() -> archive.fileRecords().size() == 1);
        LogRecord stored = archive.fileRecords().get(0).record();
        assertThat(stored.arguments()).containsExactly("--password", "***", "--api-key=***",
                "https://dq:***@db.cern.ch/x", "***", "--run", "42");
        assertThat(stored.message()).isEqualTo("backup of --password *** failed");
        assertThat(allFileText(yaml.data())).doesNotContain("PYSECRET");
        await().atMost(WAIT).until(() -> archive.indexCountByHost(WireMessages.UNKNOWN_HOST) == 1);
        assertThat(archive.indexCount(new org.apache.lucene.search.TermQuery(
                new org.apache.lucene.index.Term("message", "pysecret1")))).isZero();
    }

    @Test
    void redactionOfIncomingPanicsCanBeTurnedOff() throws Exception {
        // given
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("pyraw", smtp).extra("security:\n  redactPanics: false\n");
        start(yaml.config());

        // when
        closing(new Sender(BROKERS.b().uri())).sendRaw(yaml.panic(), PYTHON_HEADERS, pythonPanic("failed", "--password", "KEPT1"));

        // then the panic is kept as it came
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.fileRecords().size() == 1);
        assertThat(archive.fileRecords().get(0).record().arguments()).containsExactly("--password", "KEPT1");
    }

    @Test
    void aPanicWhoseRedactionOverflowsTheStackIsDeadLetteredAndThePanicsBehindItArrive() throws Exception {
        // given an operator pattern that java.util.regex can only try by recursing once per character
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("overflow", smtp).extra("security:\n  redact: ['(a| )*c']\n");
        Collector collector = start(yaml.config());
        byte[] pathological = pythonPanic("a ".repeat(100_000), "--run", "1");

        // when one panic's message is long enough to overflow the stack, and a harmless one follows it
        closing(new Sender(BROKERS.b().uri())).sendRaw(yaml.panic(), List.of(PYTHON_HEADERS, PYTHON_HEADERS),
                List.of(pathological, pythonPanic("harmless failure", "--run", "2")));

        // then the harmless one is archived, the other is a dead letter, and the collector runs on
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> collector.failure().isPresent()
                || archive.fileRecords().size() == 1 && archive.deadLetters().size() == 1);
        assertThat(collector.failure()).isEmpty();
        assertThat(archive.fileRecords().get(0).record().message()).isEqualTo("harmless failure");
        Map<String, Object> letter = archive.deadLetters().get(0);
        assertThat(letter.get("reason")).isEqualTo("poison");
        assertThat(((Number) letter.get("bodyBytes")).longValue()).isEqualTo(pathological.length);
        assertThat(collector.awaitClosed(Duration.ZERO)).isFalse();
    }

    @Test
    void anEncodedWordInTheMessageReachesTheSubjectAsTheTextItIs() throws Exception {
        // given
        Smtp smtp = closing(new Smtp().start());
        CollectorYaml yaml = yaml("encword", smtp);
        start(yaml.config());

        // when a panic's message holds a MIME encoded-word (it decodes to "Reboot now")
        closing(new Sender(BROKERS.a().uri())).send(yaml.panic(),
                TestRecords.panic("enc-1", "node4", "=?UTF-8?B?UmVib290IG5vdw==?= failed"));

        // then a mail client shows the characters that were sent (made undecodable), not what they decode to
        await().atMost(WAIT).until(() -> smtp.subjects().size() == 1);
        assertThat(smtp.subjects().get(0)).isEqualTo("[dqlog panic] node4 dcsc: = ?UTF-8?B?UmVib290IG5vdw== ?= failed");
    }

    static final Map<String, String> PYTHON_HEADERS = Map.of("MsgClass", "DQ", "MsgType", "Panic");

    /** A panic as the Python tooling builds it: its fields only, arguments as they are. */
    private static byte[] pythonPanic(String msg, String... arguments) {
        StringBuilder args = new StringBuilder();
        for (String a : arguments) {
            args.append(args.length() == 0 ? "" : ",").append('"').append(a).append('"');
        }
        return ("{\"msg\":\"" + msg + "\",\"command\":\"/usr/local/bin/backup.py\",\"arguments\":[" + args
                + "],\"traceback\":[\"  File \\\"backup.py\\\", line 3\\n\"],\"cwd\":\"/\",\"time\":1428919377.9,"
                + "\"usrtime\":\"Mon Apr 13 12:02:57 2015\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Every byte of every regular file under {@code dir} (the index is compressed: it is checked by query). */
    static String allFileText(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** Fills {@code headers} from the fixture and returns its body. */
    private static String readFixture(Map<String, String> headers) throws IOException {
        String body = null;
        try (JsonParser p = new JsonFactory().createParser(Files.readString(PYTHON_PANIC))) {
            p.nextToken();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                if (field.equals("headers")) {
                    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String name = p.getCurrentName();
                        p.nextToken();
                        headers.put(name, p.getText());
                    }
                } else if (field.equals("body")) {
                    body = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return body;
    }

    private static long outboxFiles(CollectorYaml yaml) throws java.io.IOException {
        try (var files = Files.list(yaml.data().resolve("mail-outbox"))) {
            return files.count();
        }
    }
}
