package org.dqlog.core.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.dqlog.core.subscribe.Brokers.WAIT;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Brokers that die or freeze under a running fan-in subscriber: real broker processes, SIGKILL and SIGSTOP. */
@ExtendWith(ProcessReaper.class)
class FanInSubscriberFailureTest {

    private static final String QUEUE = "/queue/dqlog.test.fanin.failure";

    @TempDir
    Path temp;

    private final Inbox inbox = new Inbox();
    private final StateRecorder states = new StateRecorder();
    private final RecordingStatus status = new RecordingStatus();
    private FanInSubscriber subscriber;

    @AfterEach
    void closeSubscriber() {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    @Test
    void keepsReceivingFromTheSurvivorWhileABrokerIsKilledAndDrainsItsStoredMessagesAfterItsRestart()
            throws Exception {
        // given: both brokers delivered a batch; A's is acknowledged, B's not yet (not durable at the consumer)
        BrokerProcess processA = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        BrokerProcess processB = BrokerProcess.builder(temp.resolve("b")).name("broker-b").start();
        BrokerAddress a = BrokerAddress.parse(processA.uri());
        BrokerAddress b = BrokerAddress.parse(processB.uri());
        subscriber = start(List.of(a, b));
        List<String> sentA = new ArrayList<>(Brokers.send(a, QUEUE, "a", 100));
        List<String> storedOnB = Brokers.send(b, QUEUE, "b", 100);
        await().atMost(WAIT).until(() -> inbox.size() == 200);
        AckGroup.ackAll(fromBroker(inbox.all(), a));

        // when: B is SIGKILLed
        processB.kill();

        // then: B is seen down, and A keeps delivering
        await().atMost(WAIT).until(() -> states.last(b) == ConnectionState.DOWN);
        sentA.addAll(Brokers.send(a, QUEUE, "a-while-b-down", 100));
        await().atMost(WAIT).until(() -> inbox.idsFrom(a).size() == 200);
        assertThat(inbox.idsFrom(a)).containsExactlyElementsOf(sentA);
        assertThat(states.last(b)).isIn(ConnectionState.DOWN, ConnectionState.CONNECTING);
        AckGroup.ackAll(fromBroker(inbox.all(), a));

        // when: B comes back on the same port with the same data
        processB.restart();

        // then: the subscriber picks it up by itself, and B's stored, unacknowledged batch arrives again
        await().atMost(WAIT).until(() -> inbox.idsFrom(b).size() >= 200);
        List<String> expectedFromB = new ArrayList<>(storedOnB);
        expectedFromB.addAll(storedOnB);
        assertThat(inbox.idsFrom(b)).containsExactlyElementsOf(expectedFromB);
        assertThat(states.last(b)).isEqualTo(ConnectionState.CONNECTED);
        List<String> newOnB = Brokers.send(b, QUEUE, "b-after-restart", 20);
        await().atMost(WAIT).until(() -> inbox.idsFrom(b).size() >= 220);
        expectedFromB.addAll(newOnB);
        assertThat(inbox.idsFrom(b)).containsExactlyElementsOf(expectedFromB);
        assertThat(inbox.idsFrom(a)).containsExactlyElementsOf(sentA);
        assertThat(status.messages()).anySatisfy(m -> assertThat(m).startsWith("WARN").contains("lost broker " + b));
    }

    @Test
    void aSigstoppedBrokerIsDetectedByHeartbeatsAndItsSessionComesBackAfterSigcont() throws Exception {
        // given: a connected subscriber with 1 s heart-beats
        BrokerProcess process = BrokerProcess.start(temp.resolve("broker"));
        BrokerAddress broker = BrokerAddress.parse(process.uri());
        subscriber = start(List.of(broker));
        await().atMost(WAIT).until(() -> states.last(broker) == ConnectionState.CONNECTED);
        Brokers.send(broker, QUEUE, "before", 1);
        await().atMost(WAIT).until(() -> inbox.size() == 1);
        AckGroup.ackAll(inbox.all());

        // when: the broker freezes
        process.stop();

        // then: the silence is noticed (about 2 s; generous bound for a busy machine)
        await().atMost(Waits.CONDITION).until(() -> states.last(broker) == ConnectionState.DOWN);
        BrokerStatus down = states.of(broker).stream().filter(s -> s.state() == ConnectionState.DOWN)
                .findFirst().orElseThrow();
        assertThat(down.lastFailure()).isInstanceOf(SocketTimeoutException.class);
        assertThat(down.lastError()).contains("heart-beat");

        // when: it runs again
        int changesBeforeResume = states.of(broker).size();
        process.resume();

        // then: the subscriber reconnects by itself and consumes again
        await().atMost(WAIT).until(() -> states.of(broker).size() > changesBeforeResume
                && states.last(broker) == ConnectionState.CONNECTED);
        Brokers.send(broker, QUEUE, "after", 1);
        await().atMost(WAIT).until(() -> inbox.ids().contains("after-1"));
        assertThat(inbox.ids()).containsExactly("before-1", "after-1");
    }

    private FanInSubscriber start(List<BrokerAddress> brokers) {
        return FanInSubscriber.builder(brokers)
                .destinations(QUEUE)
                .sessionConfig(Brokers.SESSION)
                .reconnectDelay(Brokers.RECONNECT_MIN, Brokers.RECONNECT_MAX)
                .handler(inbox)
                .stateListener(states)
                .status(status)
                .start();
    }

    private static List<Delivery> fromBroker(List<Delivery> deliveries, BrokerAddress broker) {
        return deliveries.stream().filter(d -> Inbox.sameEndpoint(d.broker(), broker)).collect(Collectors.toList());
    }
}
