package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.dqlog.archive.StoredRecords;
import org.dqlog.collector.Collector;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.config.TlsSettings;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.publish.Refusal;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.subscribe.FanInSubscriber;
import org.dqlog.it.apps.Workload;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.TestCertificates;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege on a real broker with TLS and the authorization plugin, set up as
 * examples/activemq.xml says: users {@value #NODE1} and {@value #NODE2} (group dqlog-producers)
 * may only write the dqlog destinations, {@value #COLLECTOR} (dqlog-collectors) may only read
 * them, and the broker stamps each message with its sender (populateJMSXUserID). Each subclass
 * starts one such broker for all its tests (examples/activemq.xml as it is, on ActiveMQ 5.17 and
 * 6), with one collector; the destinations are the real ones, so every test tells its records
 * apart by id or run. The same brokers show what the example's {@code wireFormat.maxFrameSize}
 * does with a message near and over it, on its way from a producer to the collector.
 *
 * <p>Refusals are ERROR frames, seen at once: no test waits out a timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LeastPrivilegeBrokerTest {

    static final String NODE1 = "node1";
    static final String NODE2 = "node2";
    static final String COLLECTOR = "dqlog-collector";
    static final Map<String, String> PASSWORDS = Map.of(NODE1, "node1-Pass", NODE2, "node2-Pass", COLLECTOR,
            "collector-Pass");
    static final Duration WAIT = Waits.CONDITION;

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    /** The class's folder: one broker and collector serve all its tests. */
    Path dir;

    TestCertificates certificates;
    String brokerUri;
    Collector collector;
    Path collectorData;
    final List<String> collectorWarnings = new CopyOnWriteArrayList<>();

    /** Starts the broker of the subclass with these certificates; returns its {@code ssl://localhost:PORT}. */
    abstract String startBroker(Path brokerDir, TestCertificates certificates) throws Exception;

    @BeforeAll
    void startBrokerAndCollector(@TempDir Path classDir) throws Exception {
        dir = classDir;
        certificates = TestCertificates.create(dir.resolve("certificates"));
        brokerUri = startBroker(dir.resolve("broker"), certificates);
        collectorData = dir.resolve("collector-data");
        collector = Collector.start(CollectorConfig.load(writeCollectorYaml()), recording(collectorWarnings));
    }

    @AfterAll
    void stopCollector() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void aProducerThatTriesToReadTheLoggingQueueIsRefused() {
        // given a producer's login
        List<String> warnings = new CopyOnWriteArrayList<>();
        List<String> delivered = new CopyOnWriteArrayList<>();

        // when it subscribes to the logging queue
        try (FanInSubscriber reader = FanInSubscriber.builder(List.of(BrokerAddress.parse(brokerUri)))
                .name("producer-reading").destinations(Destinations.LOGGING)
                .sessionConfig(session(NODE1)).reconnectDelay(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .handler(d -> delivered.add(d.body().length + " bytes")).status(recording(warnings)).start()) {

            // then the broker refuses it by name, and gives it nothing
            await().atMost(WAIT).until(() -> warnings.stream().anyMatch(w -> w.contains("not authorized to read")));
        }
        assertThat(String.join("\n", warnings)).contains("queue://atlas.dqm.logging")
                .doesNotContain(PASSWORDS.get(NODE1));
        assertThat(delivered).isEmpty();
    }

    @Test
    void theCollectorThatTriesToWriteIsRefused() throws Exception {
        // given the collector's login
        try (Publisher writer = publisher(COLLECTOR)) {
            // when it sends to each dqlog destination
            for (String destination : List.of(Destinations.LOGGING, Destinations.PANIC, Destinations.PROGRESS)) {
                LogRecord record = record("collector-writes-" + destination.hashCode(), "collector-host");
                List<Refusal> refusals = writer.publish(List.of(message(destination, record, Map.of())));

                // then the broker refuses each at once, with an ERROR frame naming the destination
                assertThat(refusals).as(destination).hasSize(1);
                assertThat(refusals.get(0).reason()).contains("not authorized to write")
                        .contains(destination.replace("/queue/", "queue://").replace("/topic/", "topic://"));
            }
        }
    }

    @Test
    void recordsOfAnAppenderReachTheCollectorOverTlsEachOnceWithTheirSendersUser() throws Exception {
        // given an application whose appender logs in as node1 over TLS
        Path passcode = ownerOnly(dir.resolve("node1.passcode"), PASSWORDS.get(NODE1));
        App app = App.builder(Framework.LOG4J2, dir.resolve("app")).brokers(brokerUri)
                .queues(new Queues(Destinations.LOGGING, Destinations.PANIC)).run("least-privilege").count(40)
                .jvmOption("-Ddqlog.login=" + NODE1).jvmOption("-Ddqlog.passcodeFile=" + passcode)
                .jvmOption("-Ddqlog.trustStore=" + certificates.trustStore())
                .jvmOption("-Ddqlog.trustStorePassword=" + TestCertificates.PASSWORD)
                .start().awaitSent();

        // then the collector stores every record of the run exactly once, each with node1 as its verified sender
        await().atMost(WAIT).until(() -> recordsOfRun(app.run()).size() == app.count());
        List<LogRecord> stored = recordsOfRun(app.run());
        Map<String, Long> idCounts = stored.stream().collect(Collectors.groupingBy(LogRecord::id, Collectors.counting()));
        assertThat(idCounts).hasSize(app.count()).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
        assertThat(stored.stream().map(r -> Integer.parseInt(r.mdc().get(Workload.MDC_SEQ))).collect(Collectors.toSet()))
                .isEqualTo(IntStream.range(0, app.count()).boxed().collect(Collectors.toSet()));
        assertThat(stored).allSatisfy(r -> assertThat(r.mdc()).containsEntry("dqlog.brokerUser", NODE1));
        // the collector's own connections went over TLS, and its warnings name no passcode
        assertThat(collectorWarnings).noneMatch(w -> w.contains("in clear"));
        assertThat(String.join("\n", collectorWarnings)).doesNotContain(PASSWORDS.get(COLLECTOR));
        app.stop();
    }

    @Test
    void aRecordSentAsAnotherHostIsStoredWithTheUserThatReallySentIt() throws Exception {
        // given node2, which claims to be node1 in the record, in the MDC and in the JMSXUserID header
        LogRecord forged = record("forged-by-node2-" + System.nanoTime(), NODE1).toBuilder()
                .putMdc("dqlog.brokerUser", NODE1).build();
        try (Publisher node2 = publisher(NODE2)) {
            // when it sends the record
            assertThat(node2.publish(List.of(message(Destinations.LOGGING, forged, Map.of("JMSXUserID", NODE1)))))
                    .isEmpty();
        }

        // then the collector stores it under the claimed host, with the broker's word on who sent it
        await().atMost(WAIT).until(() -> storedRecords().containsKey(forged.id()));
        LogRecord stored = storedRecords().get(forged.id());
        assertThat(stored.host()).isEqualTo(NODE1);
        assertThat(stored.mdc()).containsEntry("dqlog.brokerUser", NODE2);
    }

    @Test
    void aMessageTheBrokerTakesButTheCollectorCannotHoldIsDeadLetteredOnceAndTheRecordsBehindItArrive()
            throws Exception {
        // given record A, a body just under the example's wireFormat.maxFrameSize (taken by the broker, but
        // delivered with the broker's headers as a frame over the collector's 16 MiB frame limit), record B
        String run = "oversize-" + System.nanoTime();
        LogRecord a = record(run + "-a", NODE1);
        LogRecord b = record(run + "-b", NODE1);
        int size = ExampleBrokerConf.MAX_FRAME_SIZE - 256;
        byte[] huge = bodyOf(size, run);

        // when node1 sends them in this order over TLS
        try (Publisher node1 = publisher(NODE1)) {
            assertThat(node1.publish(List.of(message(Destinations.LOGGING, a, Map.of())))).isEmpty();
            assertThat(node1.publish(List.of(OutboundMessage.of(Destinations.LOGGING, recordHeaders(), huge))))
                    .isEmpty();
            huge = null;
            assertThat(node1.publish(List.of(message(Destinations.LOGGING, b, Map.of())))).isEmpty();
        }

        // then the stream goes on past it: A and B are archived, each once
        await().atMost(WAIT).until(() -> idCounts(run).size() == 2);
        assertThat(idCounts(run)).containsOnly(Map.entry(a.id(), 1), Map.entry(b.id(), 1));
        // and it is one oversize dead letter, read past at the frame limit: its size and first bytes only
        await().atMost(WAIT).until(() -> !deadLettersOf(run).isEmpty());
        List<Map<String, Object>> letters = deadLettersOf(run);
        assertThat(letters).hasSize(1);
        Map<String, Object> letter = letters.get(0);
        assertThat(letter).containsEntry("reason", "oversize").containsEntry("bodyTruncated", true)
                .containsEntry("bodyBytes", (long) size);
        assertThat((String) letter.get("detail")).contains("over the frame limit");
        assertThat(((String) letter.get("body")).length()).isLessThan(size);
    }

    @Test
    void aMessageOverTheExamplesFrameLimitIsRefusedToItsProducerAndTheRecordsBehindItArrive() throws Exception {
        // given a body one byte over the example's wireFormat.maxFrameSize, and a record C behind it
        String run = "over-limit-" + System.nanoTime();
        LogRecord c = record(run + "-c", NODE1);
        byte[] tooLarge = bodyOf(ExampleBrokerConf.MAX_FRAME_SIZE + 1, run);

        // when node1 sends it, then C on a new connection
        try (Publisher node1 = publisher(NODE1)) {
            OutboundMessage message = OutboundMessage.of(Destinations.LOGGING, recordHeaders(), tooLarge);

            // then the broker refuses it: an ERROR frame without receipt that closes the connection, so
            // the producer hears of a failed round, not of a refusal of that one message
            assertThatThrownBy(() -> node1.publish(List.of(message))).isInstanceOf(PublishException.class)
                    .hasMessageContaining("The maximum frame size was exceeded");
        }
        tooLarge = null;
        try (Publisher node1 = publisher(NODE1)) {
            assertThat(node1.publish(List.of(message(Destinations.LOGGING, c, Map.of())))).isEmpty();
        }

        // and it was never delivered: no dead letter, and C arrives once
        await().atMost(WAIT).until(() -> idCounts(run).size() == 1);
        assertThat(idCounts(run)).containsOnly(Map.entry(c.id(), 1));
        assertThat(deadLettersOf(run)).isEmpty();
    }

    private Path writeCollectorYaml() throws IOException {
        Path passcode = ownerOnly(dir.resolve("collector.passcode"), PASSWORDS.get(COLLECTOR));
        String yaml = "brokers:\n  - " + brokerUri + "\n"
                + "data: " + collectorData + "\n"
                + "login: " + COLLECTOR + "\n"
                + "passcodeFile: " + passcode + "\n"
                + "tls:\n  trustStore: " + certificates.trustStore() + "\n"
                + "  trustStorePassword: " + TestCertificates.PASSWORD + "\n"
                + "security:\n  trustBrokerUser: true\n"
                + "batch:\n  maxRecords: 500\n  maxDelay: 50ms\n"
                + "index:\n  commitInterval: 200ms\n"
                + "minFreeBytes: 0\n"
                + "http:\n  port: 0\n";
        return Files.writeString(dir.resolve("collector.yaml"), yaml);
    }

    /**
     * Waits as generous as the machine may need: a refusal is an ERROR frame that ends them at
     * once, and a TLS handshake with a cold broker on a busy machine may take many seconds.
     */
    private SessionConfig session(String user) {
        return SessionConfig.builder().heartbeat(Duration.ofSeconds(10)).connectTimeout(Waits.PROCESS)
                .sendTimeout(Waits.PROCESS).receiptTimeout(Waits.PROCESS).disconnectTimeout(Duration.ofSeconds(5))
                .credentials(Credentials.of(user, PASSWORDS.get(user)))
                .tls(TlsSettings.builder().trustStore(certificates.trustStore().toString())
                        .trustStorePassword(TestCertificates.PASSWORD).build())
                .build();
    }

    private Publisher publisher(String user) {
        return Publisher.builder(List.of(BrokerAddress.parse(brokerUri))).sessionConfig(session(user))
                .roundTimeout(WAIT).status(Status.SILENT).build();
    }

    private static OutboundMessage message(String destination, LogRecord record, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(WireMessages.sendHeaders(record, destination));
        headers.putAll(extraHeaders);
        return OutboundMessage.of(destination, headers, RecordCodec.encode(record));
    }

    private static LogRecord record(String id, String host) {
        return LogRecord.builder().id(id).ts(Instant.now().truncatedTo(ChronoUnit.MICROS)).host(host)
                .app("least-privilege").pid(4242L).level(Level.INFO).logger("it.LeastPrivilege").thread("main")
                .message("message of " + id).build();
    }

    private Map<String, LogRecord> storedRecords() {
        return StoredRecords.recordsInFiles(collectorData);
    }

    private List<LogRecord> recordsOfRun(String run) {
        return StoredRecords.fileRecords(collectorData).stream().map(StoredRecords.Stored::record)
                .filter(r -> run.equals(r.mdc().get(Workload.MDC_RUN))).collect(Collectors.toList());
    }

    /** A body of {@code size} bytes that starts like a record of {@code run}, so its dead letter can be told apart. */
    private static byte[] bodyOf(int size, String run) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'o');
        byte[] start = ("{\"id\":\"" + run + "-huge\",\"message\":\"").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, body, 0, start.length);
        return body;
    }

    private static Map<String, String> recordHeaders() {
        return Map.of("MsgClass", "DQ", "MsgType", "Log", "persistent", "true");
    }

    private Map<String, Integer> idCounts(String run) {
        Map<String, Integer> counts = new HashMap<>(StoredRecords.idCountsInFiles(collectorData));
        counts.keySet().removeIf(id -> !id.startsWith(run));
        return counts;
    }

    /** The collector's dead letters whose body starts like a record of {@code run}: their top-level fields. */
    private List<Map<String, Object>> deadLettersOf(String run) throws IOException {
        Path folder = collectorData.resolve("deadletter");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Map<String, Object>> letters = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().collect(Collectors.toList())) {
                for (String line : Files.readAllLines(file)) {
                    Map<String, Object> letter = topLevelFields(line);
                    if (String.valueOf(letter.get("body")).startsWith("{\"id\":\"" + run)) {
                        letters.add(letter);
                    }
                }
            }
        }
        return letters;
    }

    /** The strings, numbers and booleans at the top of a JSON object (nested objects skipped). */
    private static Map<String, Object> topLevelFields(String json) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else if (value.isNumeric()) {
                    fields.put(name, parser.getLongValue());
                } else if (value.isBoolean()) {
                    fields.put(name, parser.getBooleanValue());
                } else {
                    fields.put(name, parser.getText());
                }
            }
        }
        return fields;
    }

    static Path ownerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content + "\n");
    }

    private static Status recording(List<String> messages) {
        return new Status() {
            @Override public void info(String message) { }
            @Override public void warn(String message, Throwable cause) { messages.add(message); }
            @Override public void error(String message, Throwable cause) { messages.add(message); }
        };
    }
}
