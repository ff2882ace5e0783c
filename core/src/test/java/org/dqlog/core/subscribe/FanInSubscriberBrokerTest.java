package org.dqlog.core.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.dqlog.core.subscribe.Brokers.WAIT;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-in subscriber against two real ActiveMQ brokers that live for the whole class: A on
 * 127.0.0.1:P and B on 127.0.0.2:P (the same port on two loopback addresses, so that one name
 * resolving to both addresses stands for both brokers). Each test uses its own queue.
 */
@ExtendWith(ProcessReaper.class)
class FanInSubscriberBrokerTest {

    private static final String NAME = "brokers.test";

    @TempDir
    static Path temp;

    private static BrokerAddress brokerA;
    private static BrokerAddress brokerB;
    private static int port;

    private final List<FanInSubscriber> subscribers = new ArrayList<>();
    private final Inbox inbox = new Inbox();
    private final StateRecorder states = new StateRecorder();
    private final RecordingStatus status = new RecordingStatus();
    private String queue;

    @BeforeAll
    static void startBrokers() throws Exception {
        BrokerProcess a = BrokerProcess.builder(temp.resolve("a")).name("broker-a").start();
        port = a.port();
        BrokerProcess.builder(temp.resolve("b")).name("broker-b").port(port).args("--host", "127.0.0.2").start();
        brokerA = Brokers.address("127.0.0.1", port);
        brokerB = Brokers.address("127.0.0.2", port);
    }

    @org.junit.jupiter.api.BeforeEach
    void nameQueue(TestInfo test) {
        queue = "/queue/dqlog.test.fanin." + test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeSubscribers() {
        subscribers.forEach(FanInSubscriber::close);
    }

    @Test
    void receivesEveryIdFromBothBrokersAndAcknowledgesThemWithOneAckPerBroker() throws Exception {
        // given: messages waiting on both brokers before the subscriber starts, and more after
        List<String> fromA = new ArrayList<>(Brokers.send(brokerA, queue, "a", 150));
        List<String> fromB = new ArrayList<>(Brokers.send(brokerB, queue, "b", 150));
        FanInSubscriber subscriber = start(List.of(brokerA, brokerB));
        awaitConnected(brokerA, brokerB);

        // when
        fromA.addAll(Brokers.send(brokerA, queue, "a-late", 150));
        fromB.addAll(Brokers.send(brokerB, queue, "b-late", 150));
        await().atMost(WAIT).until(() -> inbox.size() >= 600);
        AckGroup.Result acked = AckGroup.ackAll(inbox.all());

        // then: every id exactly once, from the broker it was sent to, in that broker's order
        assertThat(inbox.idsFrom(brokerA)).containsExactlyElementsOf(fromA);
        assertThat(inbox.idsFrom(brokerB)).containsExactlyElementsOf(fromB);
        assertThat(inbox.size()).isEqualTo(600);
        assertThat(acked.framesSent()).as("one cumulative ACK per broker session").isEqualTo(2);
        assertThat(acked.dropped()).isZero();
        assertThat(subscriber.brokers()).extracting(BrokerStatus::state)
                .containsExactly(ConnectionState.CONNECTED, ConnectionState.CONNECTED);
        // and the acks took: a fresh subscriber finds nothing but a new marker on either broker
        subscriber.close();
        assertOnlyMarkersRemain(List.of(brokerA, brokerB));
    }

    @Test
    void opensOneSessionPerAddressOfANameAndFollowsTheNameWhenItChanges() throws Exception {
        // given: a name service in which brokers.test has both loopback addresses
        AtomicReference<List<String>> addresses = new AtomicReference<>(List.of("127.0.0.1", "127.0.0.2"));
        BrokerResolver resolver = new BrokerResolver(List.of(BrokerAddress.parse("tcp://" + NAME + ":" + port)),
                host -> lookup(host, addresses.get()));

        // when
        FanInSubscriber subscriber = track(FanInSubscriber.builder(resolver)
                .destinations(queue).name("logging")
                .sessionConfig(Brokers.SESSION).reconnectDelay(Brokers.RECONNECT_MIN, Brokers.RECONNECT_MAX)
                .resolveInterval(Duration.ofMillis(200))
                .handler(inbox).stateListener(states).status(status)
                .start());

        // then: two sessions, one per address, both named after the configured host
        awaitConnected(brokerA, brokerB);
        assertThat(subscriber.brokers()).hasSize(2).allSatisfy(s -> {
            assertThat(s.broker().host()).isEqualTo(NAME);
            assertThat(s.subscriber()).isEqualTo("logging");
        });
        Brokers.send(brokerA, queue, "a", 5);
        Brokers.send(brokerB, queue, "b", 5);
        await().atMost(WAIT).until(() -> inbox.size() >= 10);
        assertThat(inbox.idsFrom(brokerA)).containsExactly("a-1", "a-2", "a-3", "a-4", "a-5");
        assertThat(inbox.idsFrom(brokerB)).containsExactly("b-1", "b-2", "b-3", "b-4", "b-5");
        AckGroup.ackAll(inbox.all());

        // when: 127.0.0.1 vanishes from the name
        addresses.set(List.of("127.0.0.2"));

        // then: its session is closed, the other stays
        await().atMost(WAIT).until(() -> states.last(brokerA) == ConnectionState.CLOSED);
        assertThat(subscriber.brokers()).singleElement()
                .satisfies(s -> assertThat(s.broker().resolved().getHostAddress()).isEqualTo("127.0.0.2"));

        // when: the name fails to resolve for a while, the sessions it has are kept
        addresses.set(List.of());
        await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> subscriber.brokers().size() == 1
                && subscriber.brokers().get(0).state() == ConnectionState.CONNECTED);

        // when: 127.0.0.1 comes back behind the name, it is drained again
        Brokers.send(brokerA, queue, "a-again", 3);
        addresses.set(List.of("127.0.0.1", "127.0.0.2"));
        await().atMost(WAIT).until(() -> subscriber.brokers().size() == 2);
        await().atMost(WAIT).until(() -> inbox.idsFrom(brokerA).size() == 8);
        assertThat(inbox.idsFrom(brokerA)).endsWith("a-again-1", "a-again-2", "a-again-3");
    }

    @Test
    void anAcknowledgedGroupIsNotRedeliveredAfterReconnecting() throws Exception {
        // given
        List<String> sent = Brokers.send(brokerA, queue, "m", 50);
        FanInSubscriber subscriber = start(List.of(brokerA));
        await().atMost(WAIT).until(() -> inbox.size() == 50);

        // when: the whole group is acknowledged, then the subscriber goes away
        AckGroup group = new AckGroup().addAll(inbox.all());
        assertThat(group.size()).isEqualTo(50);
        assertThat(group.subscriptions()).isEqualTo(1);
        AckGroup.Result acked = group.ack();
        subscriber.close();

        // then
        assertThat(inbox.ids()).containsExactlyElementsOf(sent);
        assertThat(acked.framesSent()).isEqualTo(1);
        assertThat(group.isEmpty()).isTrue();
        assertOnlyMarkersRemain(List.of(brokerA));
    }

    @Test
    void anUnacknowledgedGroupIsRedeliveredWholeAfterReconnecting() throws Exception {
        // given: 50 received and not acknowledged
        List<String> sent = Brokers.send(brokerA, queue, "m", 50);
        FanInSubscriber first = start(List.of(brokerA));
        await().atMost(WAIT).until(() -> inbox.size() == 50);

        // when: the session ends without an ack, and a new one starts
        first.close();
        Inbox second = new Inbox();
        track(builder(List.of(brokerA), second).start());

        // then: every one of the 50 again, once, marked as redelivered
        await().atMost(WAIT).until(() -> second.size() >= 50);
        assertThat(second.ids()).containsExactlyElementsOf(sent);
        assertThat(second.all()).allSatisfy(d -> assertThat(d.isRedelivered()).isTrue());
    }

    @Test
    void acknowledgingOneDeliveryCoversEveryEarlierOneOfItsSubscriptionAndNoLaterOne() throws Exception {
        // given
        Brokers.send(brokerA, queue, "m", 50);
        FanInSubscriber subscriber = start(List.of(brokerA));
        await().atMost(WAIT).until(() -> inbox.size() == 50);
        List<Delivery> received = inbox.all();

        // when: "ack up to here" on the 30th, then an earlier one (already covered: no frame)
        boolean acked = received.get(29).ack();
        AckGroup.Result again = AckGroup.ackAll(received.subList(0, 10));
        subscriber.close();

        // then: exactly the 20 after the 30th come back
        assertThat(acked).isTrue();
        assertThat(again.framesSent()).isZero();
        Inbox next = new Inbox();
        track(builder(List.of(brokerA), next).start());
        await().atMost(WAIT).until(() -> next.size() >= 20);
        List<String> expected = new ArrayList<>();
        for (int i = 31; i <= 50; i++) {
            expected.add("m-" + i);
        }
        assertThat(next.ids()).containsExactlyElementsOf(expected);
        AckGroup.ackAll(next.all());
    }

    @Test
    void aFailingHandlerReopensItsSessionAndAnAckOfTheDeadSessionIsDroppedNotSentOnTheNewOne() throws Exception {
        // given: 10 received on the first session, not acknowledged
        List<String> sent = new ArrayList<>(Brokers.send(brokerA, queue, "m", 10));
        start(List.of(brokerA));
        await().atMost(WAIT).until(() -> inbox.size() == 10);

        // when: the handler throws on the 11th
        inbox.failNextDelivery();
        sent.addAll(Brokers.send(brokerA, queue, "trigger", 1));

        // then: the session is reopened and all 11 come again (at-least-once)
        await().atMost(WAIT).until(() -> inbox.size() >= 22);
        List<Delivery> all = inbox.all();
        List<Delivery> firstSession = all.subList(0, 11);
        List<Delivery> secondSession = all.subList(11, 22);
        assertThat(Inbox.ids(firstSession)).containsExactlyElementsOf(sent);
        assertThat(Inbox.ids(secondSession)).containsExactlyElementsOf(sent);
        assertThat(status.messages()).anySatisfy(m -> assertThat(m).startsWith("ERROR")
                .contains("handler failed").contains(brokerA.toString()));
        assertThat(states.statesOf(brokerA)).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.DOWN,
                ConnectionState.CONNECTING, ConnectionState.CONNECTED);

        // when: the dead session's deliveries are acknowledged
        AckGroup.Result stale = AckGroup.ackAll(firstSession);

        // then: dropped, and the new session's copies are still unacknowledged
        assertThat(stale.dropped()).isEqualTo(1);
        assertThat(stale.framesSent()).isZero();
        assertThat(firstSession.get(0).isAckable()).isFalse();
        assertThat(firstSession.get(0).ack()).isFalse();
        subscribers.get(0).close();
        Inbox next = new Inbox();
        track(builder(List.of(brokerA), next).start());
        await().atMost(WAIT).until(() -> next.size() >= 11);
        assertThat(next.ids()).containsExactlyElementsOf(sent);
        AckGroup.ackAll(next.all());
    }

    @Test
    void aMessageTheHandlerKeepsFailingOnGoesToOnPoisonAfterTheBoundedAttemptsAndTheStreamGoesOn() throws Exception {
        // given: a handler that always fails on "poison" and a subscriber allowing 3 attempts
        List<String> attemptsOnPoison = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Delivery> poisoned = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        DeliveryHandler handler = new DeliveryHandler() {
            @Override
            public void onDelivery(Delivery d) {
                String body = new String(d.body(), java.nio.charset.StandardCharsets.UTF_8);
                if (body.equals("poison")) {
                    attemptsOnPoison.add(d.messageId());
                    throw new IllegalStateException("cannot handle " + body);
                }
                received.add(body);
                d.ack();
            }

            @Override
            public void onPoison(Delivery d, Exception lastFailure) {
                poisoned.add(d);
                d.ack();
            }
        };
        track(builder(List.of(brokerA), handler).maxDeliveryAttempts(3).start());

        // when
        Brokers.sendBodies(brokerA, queue, List.of("before", "poison", "after"), java.util.Map.of());

        // then: three attempts, then onPoison once, and what follows arrives
        await().atMost(WAIT).until(() -> received.contains("after"));
        assertThat(attemptsOnPoison).hasSize(3);
        assertThat(poisoned).hasSize(1);
        assertThat(new String(poisoned.get(0).body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("poison");
        assertThat(status.messages()).anySatisfy(m -> assertThat(m).contains("poison"));
    }

    // ---- helpers

    private FanInSubscriber start(List<BrokerAddress> brokers) {
        return track(builder(brokers, inbox).start());
    }

    private FanInSubscriber.Builder builder(List<BrokerAddress> brokers, DeliveryHandler handler) {
        return FanInSubscriber.builder(brokers)
                .destinations(queue)
                .sessionConfig(Brokers.SESSION)
                .reconnectDelay(Brokers.RECONNECT_MIN, Brokers.RECONNECT_MAX)
                .handler(handler)
                .stateListener(states)
                .status(status);
    }

    private FanInSubscriber track(FanInSubscriber subscriber) {
        subscribers.add(subscriber);
        return subscriber;
    }

    private void awaitConnected(BrokerAddress... brokers) {
        for (BrokerAddress broker : brokers) {
            await().atMost(WAIT).until(() -> states.last(broker) == ConnectionState.CONNECTED);
        }
    }

    /**
     * A fresh subscriber, then a marker sent to each broker: the queue hands out what it still
     * holds first, so if the marker is all that arrives, nothing else was left.
     */
    private void assertOnlyMarkersRemain(List<BrokerAddress> brokers) throws Exception {
        Inbox fresh = new Inbox();
        FanInSubscriber subscriber = track(builder(brokers, fresh).start());
        List<String> markers = new ArrayList<>();
        for (BrokerAddress broker : brokers) {
            String marker = "marker-" + broker.host();
            Brokers.sendBodies(broker, queue, List.of(marker), java.util.Map.of());
            markers.add(marker);
        }
        await().atMost(WAIT).until(() -> fresh.ids().containsAll(markers));
        assertThat(fresh.ids()).containsExactlyInAnyOrderElementsOf(markers);
        AckGroup.ackAll(fresh.all());
        subscriber.close();
    }

    private static InetAddress[] lookup(String host, List<String> addresses) throws UnknownHostException {
        if (!host.equals(NAME) || addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        InetAddress[] result = new InetAddress[addresses.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = InetAddress.getByName(addresses.get(i));
        }
        return result;
    }
}
