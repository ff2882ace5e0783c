package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dqlog.archive.StoredRecords;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.archive.HostNames;
import org.dqlog.core.LogRecord;
import org.dqlog.core.WireMessages;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in this JVM against two real broker processes (shared by the tests of this class,
 * each test on destinations of its own): where records end up, bad input, disk full.
 */
class CollectorArchiveTest {

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
    void recordsFromBothBrokersLandInTheirHostFilesAndInTheIndexOnceWithReceiveTime() throws Exception {
        // given
        CollectorYaml yaml = yaml("both");
        start(yaml.config());
        List<LogRecord> fromA = TestRecords.logs("a", 300, "alpha-01");
        List<LogRecord> fromB = TestRecords.logs("b", 300, "Beta-02");

        // when
        sender(BROKERS.a()).send(yaml.logging(), fromA);
        sender(BROKERS.b()).send(yaml.logging(), fromB);

        // then every record is in its host's file once, with the collector's receive time
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 600);
        List<StoredRecords.Stored> stored = archive.fileRecords();
        assertThat(stored).hasSize(600);
        assertThat(stored).allSatisfy(s -> {
            assertThat(s.hostDir()).isEqualTo(s.record().id().startsWith("a-") ? "alpha-01" : "beta-02");
            assertThat(s.record().rts()).isNotNull();
        });
        assertThat(stored.stream().filter(s -> s.record().id().equals("b-7")).findFirst().orElseThrow().record()
                .message()).isEqualTo("message of b-7");
        // and in the committed index once each, as dqlog search in another process sees it
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 600);
        assertThat(archive.idCountsInIndex().values()).containsOnly(1);
        assertThat(archive.indexCountByHost("alpha-01")).isEqualTo(300);
        assertThat(archive.indexCountByHost("Beta-02")).isEqualTo(300);
    }

    @Test
    void hostileHostNamesLandInSafeDirectoriesAndAreSearchableByTheirHost() throws Exception {
        // given
        CollectorYaml yaml = yaml("hostile");
        start(yaml.config());
        List<String> hosts = List.of("../../etc", "..", "/", "a/../../b", "x".repeat(1000), "Zürich-节点-ü",
                "line\nbreak", "");
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            records.add(TestRecords.log("hostile-" + i, hosts.get(i)));
        }

        // when
        sender(BROKERS.a()).send(yaml.logging(), records);

        // then each is archived once, in a directory right under logs/
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == hosts.size());
        Path logs = yaml.data().resolve("logs");
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> outside = all.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".log"))
                    .filter(p -> !p.startsWith(logs) && !p.startsWith(yaml.data().resolve("deadletter")))
                    .collect(Collectors.toList());
            assertThat(outside).isEmpty();
        }
        for (StoredRecords.Stored s : archive.fileRecords()) {
            int i = Integer.parseInt(s.record().id().substring("hostile-".length()));
            String sent = hosts.get(i);
            String expectedHost = sent.isEmpty() ? WireMessages.UNKNOWN_HOST : sent;
            assertThat(s.record().host()).isEqualTo(expectedHost);
            assertThat(s.hostDir()).isEqualTo(HostNames.sanitize(expectedHost));
            assertThat(HostNames.isDirectoryName(s.hostDir())).isTrue();
        }
        assertThat(Files.list(logs).map(p -> p.getFileName().toString()))
                .allSatisfy(name -> assertThat(name).matches("[a-z0-9._-]+|_invalid-[a-z0-9-]+|_unknown-host"));
        // and searchable by the host they were sent with
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == hosts.size());
        for (String host : hosts) {
            assertThat(archive.indexCountByHost(host.isEmpty() ? WireMessages.UNKNOWN_HOST : host)).as(host)
                    .isEqualTo(1);
        }
    }

    @Test
    void badMessagesGoToTheDeadLetterFileAreAcknowledgedAndTheCollectorKeepsRunning() throws Exception {
        // given
        CollectorYaml yaml = yaml("bad").maxMessageBytes("1KiB");
        Collector collector = start(yaml.config());
        Map<String, String> headers = Map.of("MsgClass", "DQ", "MsgType", "Log", "host", "bad-host");
        byte[] notJson = "this is not JSON {".getBytes(StandardCharsets.UTF_8);
        byte[] oversize = ("{\"id\":\"big\",\"message\":\"" + "x".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] missingFields = "{\"id\":\"empty-1\",\"host\":\"h\"}".getBytes(StandardCharsets.UTF_8);
        byte[] binary = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, 0x7B};

        // when
        sender(BROKERS.a()).sendRaw(yaml.logging(), List.of(headers, headers, headers, headers),
                List.of(notJson, oversize, missingFields, binary));
        sender(BROKERS.b()).send(yaml.logging(), TestRecords.log("good-1", "good-host"));

        // then each bad message is a dead letter with its reason and raw body, and good records still arrive
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.deadLetters().size() == 4 && archive.idCountsInFiles().size() == 1);
        Map<String, Map<String, Object>> byReasonAndBody = new java.util.HashMap<>();
        for (Map<String, Object> letter : archive.deadLetters()) {
            byReasonAndBody.put(letter.get("reason") + ":" + letter.get("bodyBytes"), letter);
        }
        assertThat(byReasonAndBody.get("undecodable:" + notJson.length).get("body")).isEqualTo("this is not JSON {");
        assertThat(byReasonAndBody.get("oversize:" + oversize.length).get("bodyTruncated")).isEqualTo(true);
        assertThat(byReasonAndBody.get("missing-fields:" + missingFields.length).get("body"))
                .isEqualTo(new String(missingFields, StandardCharsets.UTF_8));
        Map<String, Object> bin = byReasonAndBody.get("undecodable:" + binary.length);
        assertThat(bin.get("bodyBase64")).isEqualTo(true);
        assertThat(java.util.Base64.getDecoder().decode((String) bin.get("body"))).isEqualTo(binary);
        assertThat(archive.deadLetters()).allSatisfy(l -> assertThat(l.get("destination")).isEqualTo(yaml.logging()));
        assertThat(collector.metrics().exposition()).contains("dqlog_collector_dead_letters_total{reason=\"undecodable\"} 2");

        // when the collector restarts on the same data
        collector.close();
        Collector again = start(yaml.config());
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.log("good-2", "good-host"));

        // then the bad messages were acknowledged: none comes back
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 2);
        assertThat(again.metrics().recordsReceived()).isEqualTo(1);
        assertThat(archive.deadLetters()).hasSize(4);
    }

    @Test
    void aTextMessageWithInvalidUtf8IsDeadLetteredAsDamagedOnceAndTheRecordsBehindItArrive() throws Exception {
        // given: a text message whose bytes are not UTF-8, as stomp.py sends bytes with amq-msg-type:text;
        // ActiveMQ stores it with U+FFFD replacements and delivers it with the sender's content-length
        CollectorYaml yaml = yaml("damaged");
        Collector collector = start(yaml.config());
        byte[] bad = "{\"id\":\"x\",\"message\":\"bad \u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> text = Map.of("amq-msg-type", "text", "MsgClass", "DQ", "MsgType", "Log");

        // when: the bad message, then good records behind it on the same broker
        sender(BROKERS.a()).sendRaw(yaml.logging(), text, bad);
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.logs("after-damaged", 20, "good-host"));

        // then: every good record arrives, and the bad message is one dead letter, reason damaged
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 20);
        await().atMost(WAIT).until(() -> archive.deadLetters().size() == 1);
        Map<String, Object> letter = archive.deadLetters().get(0);
        assertThat(letter.get("reason")).isEqualTo("damaged");
        assertThat((String) letter.get("body")).startsWith("{\"id\":\"x\",\"message\":\"bad ");
        assertThat(collector.metrics().exposition()).contains("dqlog_collector_dead_letters_total{reason=\"damaged\"} 1");
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
    }

    @Test
    void invalidUtf8SentByStompPyAsTextIsDeadLetteredAndTheRecordsBehindItArrive() throws Exception {
        // given: Debian's stomp.py (.ci/run installs python3-stomp), as the Python tooling sends
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import stomp").start().waitFor() == 0,
                "python3-stomp is not installed");
        CollectorYaml yaml = yaml("stomppy");
        start(yaml.config());
        String script = String.join("\n",
                "import sys, stomp",
                "c = stomp.Connection([('127.0.0.1', int(sys.argv[1]))])",
                "c.connect(wait=True)",
                "c.send(sys.argv[2], b'{\"id\":\"x\",\"message\":\"bad \\xff\\xfe\"}',",
                "       headers={'amq-msg-type': 'text', 'persistent': 'true'})",
                "c.disconnect()");

        // when
        Process p = new ProcessBuilder(python.toString(), "-c", script, Integer.toString(BROKERS.a().port()),
                yaml.logging()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.logs("after-stomppy", 5, "good-host"));

        // then
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 5);
        await().atMost(WAIT).until(() -> archive.deadLetters().size() == 1);
        assertThat(archive.deadLetters().get(0).get("reason")).isEqualTo("damaged");
    }

    @Test
    void aMessageOverTheFrameLimitIsDeadLetteredWithItsStartAndSizeAndTheRecordsBehindItArrive() throws Exception {
        // given: a 17 MiB message, over the 16 MiB a session reads, and good records behind it
        CollectorYaml yaml = yaml("huge");
        Collector collector = start(yaml.config());
        int size = 17 * 1024 * 1024;
        byte[] huge = new byte[size];
        java.util.Arrays.fill(huge, (byte) 'h');
        Map<String, String> headers = Map.of("MsgClass", "DQ", "MsgType", "Log");

        // when
        sender(BROKERS.a()).sendRaw(yaml.logging(), headers, huge);
        huge = null;
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.logs("after-huge", 20, "good-host"));

        // then: read past, dead-lettered as oversize with its full size and its first bytes, acknowledged
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 20);
        await().atMost(WAIT).until(() -> archive.deadLetters().size() == 1);
        Map<String, Object> letter = archive.deadLetters().get(0);
        assertThat(letter.get("reason")).isEqualTo("oversize");
        assertThat(((Number) letter.get("bodyBytes")).longValue()).isEqualTo(size);
        assertThat(letter.get("bodyTruncated")).isEqualTo(true);
        assertThat((String) letter.get("body")).startsWith("hhhh");
        assertThat(collector.metrics().exposition()).contains("dqlog_collector_dead_letters_total{reason=\"oversize\"} 1");

        // and after a restart nothing comes back: it was acknowledged
        collector.close();
        Collector again = start(yaml.config());
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.log("after-restart", "good-host"));
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 21);
        assertThat(again.metrics().recordsReceived()).isEqualTo(1);
        assertThat(archive.deadLetters()).hasSize(1);
    }

    @Test
    void fullDiskHoldsEverythingUnacknowledgedUntilSpaceReturnsThenArchivesEachRecordOnce() throws Exception {
        // given a threshold no disk meets
        CollectorYaml yaml = yaml("full").minFreeBytes("900TB");
        Collector collector = start(yaml.config());
        Archive archive = new Archive(yaml.data());
        URI health = collector.httpUri().orElseThrow().resolve("/health");

        // when records and a panic arrive
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.logs("held-a", 200, "full-a"));
        sender(BROKERS.b()).send(yaml.logging(), TestRecords.logs("held-b", 200, "full-b"));
        sender(BROKERS.a()).send(yaml.panic(), TestRecords.panic("held-panic", "full-a", "disk trouble"));

        // then nothing is stored, /health says 503, and it stays so
        await().atMost(WAIT).until(() -> collector.metrics().recordsReceived() > 0);
        assertThat(httpStatus(health)).isEqualTo(503);
        await().during(Duration.ofSeconds(2)).atMost(Waits.CONDITION)
                .until(() -> archive.idCountsInFiles().isEmpty() && collector.metrics().recordsArchived() == 0);

        // when space returns
        collector.diskSpaceGuard().setMinFreeBytes(0);

        // then everything arrives exactly once
        await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 401);
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
        await().atMost(WAIT).until(() -> httpStatus(health) == 200);
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 401);
        assertThat(collector.metrics().duplicates()).isZero();
    }

    @Test
    void progressMessagesAreArchivedUnderHostProgressWhenAsked() throws Exception {
        // given a collector that archives the progress topic, subscribed on both brokers
        CollectorYaml yaml = yaml("progress").archiveProgress();
        Collector collector = start(yaml.config());
        URI health = collector.httpUri().orElseThrow().resolve("/health");
        await().atMost(WAIT).until(() -> httpStatus(health) == 200);

        // when a RunEnd message is published (a topic keeps nothing for absent subscribers, and a
        // session reports itself up once its SUBSCRIBE is sent, maybe before the broker applied
        // it: so the message is published again until one copy arrives)
        Map<String, String> headers = Map.of("MsgClass", "DQ", "MsgType", "RunEnd", "run", "261222");
        Archive archive = new Archive(yaml.data());
        Sender sender = sender(BROKERS.b());
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            if (archive.fileRecords().isEmpty()) {
                sender.sendRaw(yaml.progress(), headers, "{\"run\": 261222}".getBytes(StandardCharsets.UTF_8));
            }
            return !archive.fileRecords().isEmpty();
        });

        // then it is a record of host progress, with its type, body and own headers
        StoredRecords.Stored stored = archive.fileRecords().get(0);
        assertThat(stored.hostDir()).isEqualTo(DeliveryDecoder.PROGRESS_HOST);
        assertThat(stored.record().type()).isEqualTo("RunEnd");
        assertThat(stored.record().message()).isEqualTo("{\"run\": 261222}");
        assertThat(stored.record().mdc()).containsEntry("run", "261222");
        assertThat(stored.record().id()).startsWith(WireMessages.MESSAGE_ID_PREFIX);
    }

    @Test
    void aRecordClaimingHostProgressIsNotFiledWithTheProgressTopic() throws Exception {
        // given
        CollectorYaml yaml = yaml("claim").archiveProgress();
        start(yaml.config());

        // when a producer says its host is "progress"
        sender(BROKERS.a()).send(yaml.logging(), TestRecords.log("claim-1", "Progress"));

        // then it is archived, but not in the progress topic's folder, and the claim stays visible
        Archive archive = new Archive(yaml.data());
        await().atMost(WAIT).until(() -> archive.fileRecords().size() == 1);
        StoredRecords.Stored stored = archive.fileRecords().get(0);
        assertThat(stored.hostDir()).isNotEqualTo(DeliveryDecoder.PROGRESS_HOST);
        assertThat(stored.record().host()).contains("Progress");
    }

    private static int httpStatus(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.CONDITION).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Waits.CONDITION).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
