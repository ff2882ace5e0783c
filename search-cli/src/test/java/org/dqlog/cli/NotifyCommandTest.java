package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dqlog notify} against two real brokers, heard by a stomp.py listener as the fleet's services listen. */
class NotifyCommandTest {

    static final Duration WAIT = Waits.CONDITION;
    static final JsonFactory JSON = new JsonFactory();

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    static Path dir;
    static BrokerProcess brokerA;
    static BrokerProcess brokerB;

    @BeforeAll
    static void startBrokers() throws IOException {
        brokerA = BrokerProcess.start(dir.resolve("broker-a"));
        brokerB = BrokerProcess.start(dir.resolve("broker-b"));
    }

    private Cli cli(BrokerProcess... brokers) {
        String uris = java.util.Arrays.stream(brokers).map(BrokerProcess::uri).collect(Collectors.joining(","));
        return new Cli(Map.of("DQLOG_BROKERS", uris, "DQLOG_APP", "tier0-merge"), dir);
    }

    @Test
    void aSelectorListenerOnTwoBrokersReceivesExactlyOneCopyWithTypedFieldsAlsoAfterAFailover() throws Exception {
        // given: a stomp.py listener on both brokers with the fleet's selector
        StompPy.assumeInstalled();
        ChildProcess listener = ChildProcess.command(StompPy.PYTHON.toString(),
                        StompPy.resource("python/selector_listener.py", dir).toString(),
                        brokerA.port() + "," + brokerB.port(), "MsgClass = 'DQ' AND MsgType = 'RunEnd'")
                .name("stomppy-listener").start();
        listener.awaitLine(Pattern.compile("^READY$"), WAIT);

        // when
        Cli.Result r = cli(brokerA, brokerB).run("notify", "RunEnd", "run=261222", "stream=physics_Main",
                "complete=true", "lb=-1.5e3", "tag=007", "label=\"261222\"");
        Cli.Result other = cli(brokerA, brokerB).run("notify", "RunStart", "run=261223");

        // then: stored, silent; once both brokers passed a marker of their own, any second copy would have come before it
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(other.exitCode()).isZero();
        for (BrokerProcess broker : List.of(brokerA, brokerB)) {
            // the first broker listed is away: notify fails over to the next one
            Cli failingOver = new Cli(Map.of("DQLOG_BROKERS", "tcp://127.0.0.1:1," + broker.uri()), dir);
            assertThat(failingOver.run("notify", "RunEnd", "marker=" + broker.port()).exitCode()).isZero();
        }
        await().atMost(WAIT).until(() -> received(listener).stream().filter(m -> m.containsKey("marker")).count() == 2);
        List<Map<String, Object>> runEnds = received(listener).stream().filter(m -> m.containsKey("run"))
                .collect(Collectors.toList());
        assertThat(runEnds).hasSize(1);
        Map<String, Object> body = runEnds.get(0);
        assertThat(body).containsEntry("run", 261222L).containsEntry("stream", "physics_Main")
                .containsEntry("complete", true).containsEntry("lb", -1500.0).containsEntry("tag", "007")
                .containsEntry("label", "261222");
        assertThat((String) body.get("id")).isNotBlank();
        String line = listener.stdoutLines().stream().filter(l -> l.contains("261222")).findFirst().orElseThrow();
        assertThat(line).contains("\"id\": \"" + body.get("id") + "\"").contains("\"app\": \"tier0-merge\"")
                .contains("\"persistent\": \"true\"");
    }

    @Test
    void badFieldsAreUsageErrorsAndNoReachableBrokerExitsOne() throws IOException {
        Files.writeString(dir.resolve("list.json"), "[1, 2]");

        Cli.Result noValue = cli(brokerA).run("notify", "RunEnd", "run");
        Cli.Result notAnObject = cli(brokerA).run("notify", "RunEnd", "--json", "list.json");
        Cli.Result both = cli(brokerA).run("notify", "RunEnd", "--json", "list.json", "run=1");
        Cli.Result unreachable = new Cli(Map.of("DQLOG_BROKERS", "tcp://127.0.0.1:1"), dir)
                .run("notify", "--timeout", "1s", "RunEnd", "run=1");

        assertThat(noValue.exitCode()).isEqualTo(2);
        assertThat(noValue.err()).contains("expected key=value, got 'run'");
        assertThat(notAnObject.exitCode()).isEqualTo(2);
        assertThat(notAnObject.err()).contains("must be a JSON object");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("dqlog: RunEnd not sent: ");
    }

    @Test
    void aJsonBodyGoesAsItIsWithAnIdHeader() throws Exception {
        // given
        String body = "{\"ami\": \"x316_h17\", \"run\": 261070,\n \"hcfg\": {\"Cosmics\": {\"run\": \"a.hcfg\"}}}\n";
        Files.writeString(dir.resolve("webdisplay.json"), body);
        try (RawConsumer progress = RawConsumer.open(brokerA.uri(), org.dqlog.core.ProgressMessage.DESTINATION,
                "MsgType = 'WebDisplayIncremental'")) {

            // when: sent until heard (a subscription the broker has not registered yet misses one)
            org.dqlog.core.stomp.Frame f = null;
            for (int attempt = 0; f == null && attempt < 100; attempt++) {
                Cli.Result r = cli(brokerA).run("notify", "WebDisplayIncremental", "--json", "webdisplay.json");
                assertThat(r.exitCode()).as(r.err()).isZero();
                f = progress.next(Duration.ofSeconds(2));
            }

            // then
            assertThat(f).isNotNull();
            assertThat(new String(f.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(f.headers()).containsEntry("MsgClass", "DQ").containsEntry("persistent", "true")
                    .containsEntry("app", "tier0-merge").containsKey("id").containsKey("host");
        }
    }

    /** The bodies the stomp.py listener printed, top-level scalar fields only. */
    private static List<Map<String, Object>> received(ChildProcess listener) {
        return listener.stdoutLines().stream().filter(l -> l.startsWith("{")).map(NotifyCommandTest::body)
                .collect(Collectors.toList());
    }

    private static Map<String, Object> body(String line) {
        try (JsonParser outer = JSON.createParser(line)) {
            String body = null;
            outer.nextToken();
            while (outer.nextToken() == JsonToken.FIELD_NAME) {
                String name = outer.currentName();
                outer.nextToken();
                if (name.equals("body")) {
                    body = outer.getText();
                }
                outer.skipChildren();
            }
            Map<String, Object> fields = new HashMap<>();
            try (JsonParser p = JSON.createParser(body)) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    fields.put(name, switch (t) {
                        case VALUE_NUMBER_INT -> p.getLongValue();
                        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                        case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                        default -> p.getText();
                    });
                    p.skipChildren();
                }
            }
            return fields;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
