package org.dqlog.core.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The session against a real ActiveMQ broker in its own process, stopped and killed with signals. */
@ExtendWith(ProcessReaper.class)
class StompSessionBrokerTest {

    private static final String QUEUE = "/queue/dqlog.test.session";
    private static final Duration WAIT = Waits.CONDITION;
    private static final Map<String, String> PERSISTENT = Map.of("persistent", "true", "content-type", "application/json");

    @TempDir
    Path temp;

    @Test
    void sendsPersistentBatchConfirmedByOneReceiptAndReceivesItWithIndividualAcks() throws Exception {
        // given
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        SessionConfig config = SessionConfig.builder().heartbeat(Duration.ofSeconds(2)).build();
        RecordingListener consumerEvents = new RecordingListener();

        // when: a batch of three, a receipt on the last only
        List<String> received = new ArrayList<>();
        try (StompSession producer = StompSession.open(address(broker), config, SessionListener.IGNORE)) {
            producer.send(QUEUE, PERSISTENT, body("one"));
            producer.send(QUEUE, PERSISTENT, body("two"));
            Receipt batch = producer.sendWithReceipt(QUEUE, PERSISTENT, body("three"));
            assertThat(batch.await(WAIT)).as("receipt for the batch").isTrue();
            assertThat(producer.server()).startsWith("ActiveMQ");
        }
        StompSession consumer = StompSession.open(address(broker), config, consumerEvents);
        consumer.subscribe("s1", QUEUE, AckMode.CLIENT_INDIVIDUAL, Map.of("activemq.prefetchSize", "10"));
        for (int i = 0; i < 3; i++) {
            Frame message = consumerEvents.messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("message " + i).isNotNull();
            received.add(message.bodyAsString());
            consumer.ack(message);
        }
        consumer.close();

        // then
        assertThat(received).containsExactly("one", "two", "three");
        assertThat(consumerEvents.closed).succeedsWithin(WAIT).isNull();
        // the acks were stored: a new consumer sees only what is sent after them
        RecordingListener secondEvents = new RecordingListener();
        try (StompSession second = StompSession.open(address(broker), config, secondEvents)) {
            assertThat(second.sendWithReceipt(QUEUE, PERSISTENT, body("marker")).await(WAIT)).isTrue();
            second.subscribe("s2", QUEUE, AckMode.AUTO, Map.of());
            Frame first = secondEvents.messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.bodyAsString()).isEqualTo("marker");
        }
    }

    @Test
    void brokerHeartbeatsKeepAnIdleSessionOpenAndASigstoppedBrokerIsDeclaredDead() throws Exception {
        // given: heart-beats every second both ways
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        SessionConfig config = SessionConfig.builder().heartbeat(Duration.ofSeconds(1)).build();
        RecordingListener events = new RecordingListener();
        StompSession session = StompSession.open(address(broker), config, events);
        assertThat(session.silenceDeadline()).isEqualTo(Duration.ofSeconds(2));
        await().during(Duration.ofSeconds(3)).atMost(Waits.CONDITION).until(session::isOpen);

        // when
        broker.stop();
        Receipt pending = session.sendWithReceipt(QUEUE, PERSISTENT, body("never confirmed"));

        // then: about 2 s of silence is the bound; the deadline leaves room for a busy machine
        await().atMost(WAIT).until(events.closed::isDone);
        assertThat(events.cause()).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("heart-beats missed");
        assertThat(pending.isDone()).isTrue();
        assertThat(pending.isConfirmed()).isFalse();
        assertThat(session.isOpen()).isFalse();
    }

    @Test
    void pendingReceiptFailsWhenTheBrokerIsKilled() throws Exception {
        // given: heart-beats too slow to matter here, so only the kill can fail the receipt in time
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        SessionConfig config = SessionConfig.builder().heartbeat(Duration.ofSeconds(60)).build();
        RecordingListener events = new RecordingListener();
        StompSession session = StompSession.open(address(broker), config, events);
        broker.stop();
        Receipt pending = session.sendWithReceipt(QUEUE, PERSISTENT, body("in flight"));

        // when
        broker.kill();

        // then
        assertThat(pending.await(Waits.CONDITION)).isFalse();
        assertThat(pending.failure()).isInstanceOf(IOException.class).hasMessageContaining("lost");
        assertThat(events.closed).succeedsWithin(WAIT).isSameAs(pending.failure());
    }

    private static BrokerAddress address(BrokerProcess broker) {
        return BrokerAddress.parse(broker.uri());
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
