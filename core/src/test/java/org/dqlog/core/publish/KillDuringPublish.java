package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionTimeoutException;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.Waits;

/**
 * Publishes records in batches to two brokers while another thread SIGKILLs the broker in use when
 * a given number of records was confirmed, and restarts it on its data; then reads both queues.
 * Shared by the failover test and its soak variant.
 */
final class KillDuringPublish {

    static final Duration WAIT = Waits.CONDITION;

    private final BrokerProcess first;
    private final BrokerProcess second;

    KillDuringPublish(BrokerProcess first, BrokerProcess second) {
        this.first = first;
        this.second = second;
    }

    static Publisher publisher(BrokerProcess first, BrokerProcess second) {
        SessionConfig session = SessionConfig.builder().heartbeat(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(5)).receiptTimeout(Duration.ofSeconds(20)).build();
        return Publisher.builder(List.of(BrokerAddress.parse(first.uri()), BrokerAddress.parse(second.uri())))
                .sessionConfig(session).build();
    }

    /**
     * One round: {@code records} records in batches of {@code batchSize}, a kill of the broker in
     * use once {@code killAt} records were confirmed. Asserts that every confirmed record is on a
     * broker afterwards, those confirmed by the killed broker on that broker, and nothing else.
     */
    void run(String round, String destination, int records, int batchSize, int killAt) throws Exception {
        Publisher publisher = publisher(first, second);
        Map<Integer, Set<String>> confirmedOn = new ConcurrentHashMap<>();
        confirmedOn.put(first.port(), ConcurrentHashMap.newKeySet());
        confirmedOn.put(second.port(), ConcurrentHashMap.newKeySet());
        AtomicInteger confirmed = new AtomicInteger();
        CountDownLatch killNow = new CountDownLatch(1);
        CountDownLatch struck = new CountDownLatch(1);
        // past this record the publisher waits for the kill, so the kill is mid-stream however slow the machine
        int waitForKillAt = Math.max(killAt, records / 2);
        Set<String> confirmedBeforeKill = new HashSet<>();
        CompletableFuture<BrokerProcess> killed = new CompletableFuture<>();

        Thread killer = new Thread(() -> {
            try {
                assertThat(killNow.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("kill point reached").isTrue();
                BrokerAddress inUse = publisher.connectedBroker() != null ? publisher.connectedBroker()
                        : publisher.lastConfirmedBy();
                BrokerProcess victim = inUse != null && inUse.port() == second.port() ? second : first;
                synchronized (confirmedBeforeKill) {
                    victim.kill();
                    confirmedBeforeKill.addAll(confirmedOn.get(victim.port()));
                }
                struck.countDown();
                victim.restart();
                killed.complete(victim);
            } catch (Throwable t) {
                killed.completeExceptionally(t);
            } finally {
                struck.countDown(); // a failed killer must not hold the publisher: its failure is in killed
            }
        }, "killer-" + round);
        killer.start();

        List<String> all = new ArrayList<>();
        try {
            for (int start = 0; start < records; start += batchSize) {
                List<String> ids = TestRecords.ids(round, start, Math.min(batchSize, records - start));
                List<OutboundMessage> batch = TestRecords.messages(destination, ids);
                if (start >= waitForKillAt) {
                    assertThat(struck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("broker killed").isTrue();
                }
                int attempts = 0;
                while (true) {
                    try {
                        publisher.publish(batch);
                        break;
                    } catch (PublishException e) {
                        // both brokers briefly unusable (the restarted one still starting): try again
                        assertThat(++attempts).as("rounds failed for one batch: " + e.getMessage()).isLessThan(20);
                    }
                }
                synchronized (confirmedBeforeKill) {
                    confirmedOn.get(publisher.lastConfirmedBy().port()).addAll(ids);
                }
                all.addAll(ids);
                if (confirmed.addAndGet(ids.size()) >= killAt) {
                    killNow.countDown(); // the killer strikes while the next batches are on their way
                }
            }
        } finally {
            killNow.countDown();
        }
        BrokerProcess victim = killed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        publisher.close();
        assertThat(publisher.failovers()).as("failovers noticed").isGreaterThanOrEqualTo(1);

        // then: both queues together hold exactly the confirmed records
        try (QueueReader a = QueueReader.open(first, destination);
             QueueReader b = QueueReader.open(second, destination)) {
            Set<String> expected = new HashSet<>(all);
            // a boolean condition: a failing AssertJ assertion over 20,000 ids takes seconds to describe itself
            try {
                await().atMost(WAIT).until(() -> union(a, b).containsAll(expected));
            } catch (ConditionTimeoutException e) {
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(union(a, b));
                throw new AssertionError(missing.size() + " of " + expected.size()
                        + " confirmed records never arrived, for example " + missing.stream().limit(5).toList(), e);
            }
            assertThat(union(a, b)).as("found exactly the records sent").isEqualTo(expected);
            QueueReader victimReader = victim == first ? a : b;
            assertThat(confirmedBeforeKill).as("records the killed broker confirmed before the kill").isNotEmpty();
            assertThat(victimReader.ids()).as("the killed broker, restarted, still holds what it confirmed")
                    .containsAll(confirmedBeforeKill);
        }
    }

    private static Set<String> union(QueueReader a, QueueReader b) {
        Set<String> all = a.ids();
        all.addAll(b.ids());
        return all;
    }
}
