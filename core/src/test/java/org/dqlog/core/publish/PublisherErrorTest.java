package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dqlog.core.Destinations;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.StompErrorException;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher when brokers refuse: an ERROR frame, and nobody listening. (The test brokers have
 * no authentication, so a bad password cannot be tried here; a SEND that ActiveMQ rejects takes the
 * same path: ERROR frame, session closed, next broker.)
 */
@ExtendWith(ProcessReaper.class)
class PublisherErrorTest {

    private static final SessionConfig SESSION = SessionConfig.builder().heartbeat(Duration.ofSeconds(2))
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path temp;

    @Test
    void anErrorFrameFailsTheBatchNamingTheBrokerAndTheNextBatchIsSentOnANewConnection() throws Exception {
        // given
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        RecordingStatus status = new RecordingStatus();
        Publisher publisher = Publisher.builder(List.of(BrokerAddress.parse(broker.uri()))).sessionConfig(SESSION)
                .status(status).build();
        List<String> good = TestRecords.ids("good", 0, 10);

        // when: a batch ActiveMQ refuses (a SEND in a transaction that was never begun)
        // then
        assertThatThrownBy(() -> publisher.publish(refused(TestRecords.ids("bad", 0, 10))))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("no broker confirmed the batch of 10 message(s)")
                .hasMessageContaining(broker.uri())
                .hasMessageContaining("ERROR from")
                .satisfies(e -> assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(StompErrorException.class));
        assertThat(publisher.isConnected()).isFalse();

        // when: the next batch is fine
        publisher.publish(TestRecords.messages(Destinations.LOGGING, good));

        // then
        assertThat(publisher.lastConfirmedBy().uri()).isEqualTo(broker.uri());
        assertThat(publisher.failovers()).isEqualTo(1);
        publisher.close();
        try (QueueReader reader = QueueReader.open(broker, Destinations.LOGGING)) {
            await().atMost(Waits.CONDITION).until(() -> reader.ids().containsAll(good));
            assertThat(reader.ids()).isEqualTo(new HashSet<>(good));
        }
    }

    private static List<OutboundMessage> refused(List<String> ids) {
        List<OutboundMessage> batch = new ArrayList<>();
        for (OutboundMessage m : TestRecords.messages(Destinations.LOGGING, ids)) {
            Map<String, String> headers = new LinkedHashMap<>(m.headers());
            headers.put("transaction", "never-begun");
            batch.add(OutboundMessage.of(m.destination(), headers, m.body()));
        }
        return batch;
    }

    @Test
    void withNoBrokerListeningPublishTriesEachOnceAndThrowsNamingThem() throws Exception {
        // given
        BrokerAddress one = BrokerAddress.parse("tcp://127.0.0.1:" + TestRecords.freePort());
        BrokerAddress two = BrokerAddress.parse("tcp://127.0.0.1:" + TestRecords.freePort());
        Publisher publisher = Publisher.builder(List.of(one, two)).sessionConfig(SESSION).build();

        // when / then
        assertThatThrownBy(() -> publisher.publish(TestRecords.messages(Destinations.LOGGING, TestRecords.ids("x", 0, 3))))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining(one.uri())
                .hasMessageContaining(two.uri())
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
        assertThatThrownBy(publisher::connect).isInstanceOf(PublishException.class)
                .hasMessageContaining("no broker accepted a connection");
        assertThat(publisher.connectedBroker()).isNull();
        publisher.close();
    }
}
