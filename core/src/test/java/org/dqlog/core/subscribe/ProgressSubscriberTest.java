package org.dqlog.core.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.dqlog.core.subscribe.Brokers.WAIT;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.dqlog.core.ProgressMessage;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.stomp.Receipt;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The progress topic with a MsgType selector, against a real broker, with the RunEnd message of the wire fixture. */
@ExtendWith(ProcessReaper.class)
class ProgressSubscriberTest {

    private static final String FIXTURE = "/fixtures/progress-runend.stomp.json";

    @TempDir
    Path temp;

    @Test
    void selectorNamesOneTypeOrSeveralAndDoublesQuotes() {
        assertThat(ProgressSubscriber.selectorFor(List.of("RunEnd"))).isEqualTo("MsgType = 'RunEnd'");
        assertThat(ProgressSubscriber.selectorFor(List.of("RunStart", "RunEnd")))
                .isEqualTo("MsgType IN ('RunStart', 'RunEnd')");
        assertThat(ProgressSubscriber.selectorFor(List.of("it's"))).isEqualTo("MsgType = 'it''s'");
        assertThatThrownBy(() -> ProgressSubscriber.selectorFor(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProgressSubscriber.selectorFor(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deliversTheRunEndOfTheFixtureAndNotARunStart() throws Exception {
        // given: a subscriber of RunEnd only
        String fixtureBody = fixtureField("body");
        String fixtureType = fixtureHeader("MsgType");
        assertThat(fixtureType).isEqualTo(ProgressMessage.TYPE_RUN_END);
        BrokerProcess process = BrokerProcess.start(temp.resolve("broker"));
        BrokerAddress broker = BrokerAddress.parse(process.uri());
        List<ProgressMessage> received = new CopyOnWriteArrayList<>();
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        try (FanInSubscriber subscriber = ProgressSubscriber.builder(new BrokerResolver(List.of(broker)),
                        (message, delivery) -> {
                            received.add(message);
                            deliveries.add(delivery);
                        }, ProgressMessage.TYPE_RUN_END)
                .sessionConfig(Brokers.SESSION)
                .start();
                StompSession producer = StompSession.open(broker, Brokers.SESSION, SessionListener.IGNORE)) {
            // a topic keeps nothing for late subscribers: probe until the subscription is live
            AtomicInteger probes = new AtomicInteger();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                publish(producer, ProgressMessage.of(ProgressMessage.TYPE_RUN_END, "{\"probe\": "
                        + probes.incrementAndGet() + "}"));
                return !received.isEmpty();
            });

            // when: a RunStart, then the fixture's RunEnd, from one producer (the broker keeps their order)
            publish(producer, ProgressMessage.of(ProgressMessage.TYPE_RUN_START, fixtureBody));
            Receipt stored = publish(producer, ProgressMessage.of(fixtureType, fixtureBody));
            assertThat(stored.await(WAIT)).isTrue();

            // then: the RunEnd arrives decoded; the RunStart, sent before it, never did
            await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> m.body().equals(fixtureBody)));
            assertThat(received).allSatisfy(m -> assertThat(m.type()).isEqualTo(ProgressMessage.TYPE_RUN_END));
            ProgressMessage runEnd = received.stream().filter(m -> m.body().equals(fixtureBody)).findFirst().orElseThrow();
            assertThat(runEnd.field("run")).isEqualTo("261222");
            assertThat(deliveries).allSatisfy(d -> {
                assertThat(d.destination()).isEqualTo(ProgressMessage.DESTINATION);
                assertThat(Inbox.sameEndpoint(d.broker(), broker)).isTrue();
                assertThat(d.ack()).as("auto-acknowledged: nothing to drop").isTrue();
            });
            assertThat(subscriber.name()).isEqualTo("progress");
        }
    }

    private static Receipt publish(StompSession producer, ProgressMessage message) throws Exception {
        return producer.sendWithReceipt(ProgressMessage.DESTINATION, message.sendHeaders(), message.bodyBytes());
    }

    private static String fixtureField(String name) throws Exception {
        try (InputStream in = ProgressSubscriberTest.class.getResourceAsStream(FIXTURE);
                JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals(name)) {
                    return p.getText();
                }
                p.skipChildren();
            }
        }
        throw new AssertionError("fixture has no " + name);
    }

    private static String fixtureHeader(String name) throws Exception {
        try (InputStream in = ProgressSubscriberTest.class.getResourceAsStream(FIXTURE);
                JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("headers")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String header = p.currentName();
                    p.nextToken();
                    if (header.equals(name)) {
                        return p.getText();
                    }
                }
            }
        }
        throw new AssertionError("fixture has no header " + name);
    }
}
