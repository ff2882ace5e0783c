package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dqlog.archive.StoredRecords;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.core.LogRecord;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.DelayProxy;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches of records ({@code MsgType:LogBatch}, one JSON record per line) on the logging queue,
 * against two real broker processes and the collector in this JVM: archived record by record,
 * a bad line dead-lettered alone and once, each record once however often its batch arrives.
 */
class CollectorBatchTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    @RegisterExtension
    static final TwoBrokers BROKERS = new TwoBrokers();

    static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path dir;

    @RegisterExtension
    final ClosedAfterEach toClose = new ClosedAfterEach();

    private CollectorYaml yaml(String prefix) {
        return new CollectorYaml(BROKERS.uris(), dir.resolve("data"), prefix);
    }

    private Collector start(CollectorConfig config) throws IOException {
        Collector c = Collector.start(config, TestBrokers.WARNINGS);
        toClose.add(c);
        return c;
    }

    private Sender sender(BrokerProcess broker) {
        Sender s = new Sender(broker.uri());
        toClose.add(s);
        return s;
    }

    @Test
    void batchesSentRawOverStompAreArchivedAndSearchableRecordByRecordBesideSingleRecords() throws Exception {
        // given: two batches of 400 records (one per broker) and single records, as idle senders send them
        CollectorYaml yaml = yaml("raw");
        start(yaml.config());
        List<LogRecord> first = TestRecords.logs("raw-a", 400, "batch-host");
        List<LogRecord> second = TestRecords.logs("raw-b", 400, "batch-host");

        // when
        sender(BROKERS.a()).sendRaw(yaml.logging(), Batches.headers(first), Batches.body(first));
        sender(BROKERS.b()).sendRaw(yaml.logging(), Batches.headers(second), Batches.body(second));
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.logs("single", 5, "batch-host"));

        // then each record is a line of its host's file once, and a document of the committed index once
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 805);
        assertThat(archive.idCountsInIndex().values()).containsOnly(1);
        Map<String, Integer> inFiles = archive.idCountsInFiles();
        assertThat(inFiles).hasSize(805).containsKeys("raw-a-0", "raw-a-399", "raw-b-17", "single-4");
        assertThat(inFiles.values()).containsOnly(1);
        assertThat(archive.indexCountByHost("batch-host")).isEqualTo(805);
        LogRecord stored = archive.fileRecords().stream().map(StoredRecords.Stored::record)
                .filter(r -> r.id().equals("raw-b-17")).findFirst().orElseThrow();
        assertThat(stored.message()).isEqualTo("message of raw-b-17");
        assertThat(stored.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(stored.rts()).isNotNull();
        assertThat(archive.deadLetters()).isEmpty();
    }

    @Test
    void aBatchSentWithDebiansStompPyIsArchivedRecordByRecord() throws Exception {
        // given: Debian's stomp.py (.ci/run installs python3-stomp), as a Python member of the fleet sends
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import stomp").start().waitFor() == 0,
                "python3-stomp is not installed");
        CollectorYaml yaml = yaml("stomppy");
        start(yaml.config());
        List<LogRecord> records = TestRecords.logs("py", 250, "py-host");
        String script = String.join("\n",
                "import sys, stomp",
                "body = sys.stdin.buffer.read()",
                "c = stomp.Connection([('127.0.0.1', int(sys.argv[1]))])",
                "c.connect(wait=True)",
                "c.send(sys.argv[2], body, headers={'MsgClass': 'DQ', 'MsgType': 'LogBatch', 'persistent': 'true',",
                "       'content-type': 'application/json', 'host': 'py-host', 'app': 'reco', 'level': 'INFO'})",
                "c.disconnect()");

        // when
        Process p = new ProcessBuilder(python.toString(), "-c", script, Integer.toString(BROKERS.b().port()),
                yaml.logging()).redirectErrorStream(true).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(Batches.body(records));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();

        // then
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 250);
        assertThat(archive.idCountsInIndex().values()).containsOnly(1);
        assertThat(archive.idCountsInFiles()).hasSize(250);
        assertThat(archive.indexCountByHost("py-host")).isEqualTo(250);
    }

    @Test
    void aMalformedLineIsDeadLetteredOnceEvenWhenItsBatchIsRedeliveredAndTheOtherLinesAreArchivedOnce()
            throws Exception {
        // given: a broker of this test's own (the reaper ends whatever a test restarted), reached
        // through a proxy that can hold back the collector's frames to it, its ACKs among them
        BrokerProcess own = BrokerProcess.builder(dir.resolve("broker-c")).name("broker-c").start();
        toClose.add(own);
        DelayProxy proxy = DelayProxy.to(own.port());
        toClose.add(proxy);
        CollectorYaml yaml = new CollectorYaml(List.of(BROKERS.a().uri(), proxy.uri()), dir.resolve("data"), "badline");
        Collector collector = start(yaml.config());
        Archive archive = new Archive(yaml.data());
        sender(own).send(yaml.logging(), TestRecords.log("bl-probe", "bl-host"));
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().containsKey("bl-probe"));
        // and a batch whose line 3 is no JSON and whose line 7 says nothing
        List<LogRecord> good = TestRecords.logs("bl", 8, "bl-host");
        byte[] body = concat(Batches.bodyWithLine(good.subList(0, 5), 3, "{\"id\":\"broken\", \"message\":"),
                "{\"id\":\"mute\"}\n".getBytes(StandardCharsets.UTF_8), Batches.body(good.subList(5, 8)));

        // when the batch is archived and dead-lettered, but its ACK never reaches the broker
        proxy.delayToServer(Duration.ofHours(1));
        sender(own).sendRaw(yaml.logging(), Batches.headers(good), body);
        await().atMost(WAIT).until(() -> archive.deadLetters().size() == 2 && archive.idCountsInFiles().size() == 9);
        // and the broker dies and comes back with the batch still unacknowledged
        proxy.delayToServer(Duration.ZERO);
        own.kill();
        own.restart();

        // then the batch is delivered again (its 8 records and 2 bad lines received twice)...
        await().atMost(WAIT).until(() -> collector.metrics().recordsReceived() >= 1 + 20);
        await().atMost(WAIT).until(() -> collector.metrics().duplicates() >= 8);
        // ...and yet each good line is archived once, and each bad line is one dead letter naming its line
        assertThat(archive.idCountsInFiles()).hasSize(9).containsKeys("bl-0", "bl-7");
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 9);
        List<Map<String, Object>> letters = archive.deadLetters();
        assertThat(letters).hasSize(2);
        assertThat(letters).extracting(l -> ((Number) l.get("line")).intValue()).containsExactlyInAnyOrder(3, 7);
        assertThat(letters).extracting(l -> l.get("reason")).containsExactlyInAnyOrder("undecodable", "missing-fields");
        assertThat(letters).extracting(l -> (String) l.get("body"))
                .containsExactlyInAnyOrder("{\"id\":\"broken\", \"message\":", "{\"id\":\"mute\"}");
    }

    @Test
    void theSameBatchTwiceOnOneBrokerAndOnceOnTheOtherArchivesEachRecordOnce() throws Exception {
        // given: one batch whose records also repeat inside it, as a sender that resends a window may
        CollectorYaml yaml = yaml("twice");
        Collector collector = start(yaml.config());
        List<LogRecord> records = new ArrayList<>(TestRecords.logs("tw", 300, "twice-host"));
        records.addAll(records.subList(0, 10));
        byte[] body = Batches.body(records);
        Map<String, String> headers = Batches.headers(records);

        // when it arrives twice through broker A and once through broker B
        sender(BROKERS.a()).sendRaw(yaml.logging(), List.of(headers, headers), List.of(body, body));
        sender(BROKERS.b()).sendRaw(yaml.logging(), headers, body);

        // then each record is archived once
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> collector.metrics().recordsReceived() == 3 * 310);
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 300);
        assertThat(archive.idCountsInIndex().values()).containsOnly(1);
        assertThat(archive.idCountsInFiles()).hasSize(300);
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
        assertThat(collector.metrics().recordsArchived()).isEqualTo(300);
        assertThat(collector.metrics().duplicates()).isEqualTo(3 * 310 - 300);
    }

    @Test
    void aBatchWhoseRecordsNameOtherHostsIsFiledUnderEachRecordsOwnHost() throws Exception {
        // given: a batch whose header says one host while two of its records name others
        CollectorYaml yaml = yaml("mixed");
        start(yaml.config());
        List<LogRecord> records = new ArrayList<>(TestRecords.logs("mx", 3, "header-host"));
        records.add(TestRecords.log("mx-other", "other-host"));
        records.add(TestRecords.log("mx-third", "third-host"));

        // when
        sender(BROKERS.a()).sendRaw(yaml.logging(), Batches.headers(records), Batches.body(records));

        // then each record is filed and indexed under the host its own line names, as if sent alone
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 5);
        assertThat(archive.indexCountByHost("header-host")).isEqualTo(3);
        assertThat(archive.indexCountByHost("other-host")).isEqualTo(1);
        assertThat(archive.fileRecords()).filteredOn(s -> s.record().id().equals("mx-third"))
                .extracting(StoredRecords.Stored::hostDir).containsExactly("third-host");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
