package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.dqlog.it.apps.PublisherApp;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.Waits;

/**
 * One round of the publisher-kill scenario: a {@link PublisherApp} JVM sends {@code count} records
 * to two brokers while the broker it uses is SIGKILLed once {@code killAt} records were confirmed,
 * then restarted on its data; a fan-in subscriber on both brokers, running all along, must receive
 * every confirmed id at least once, and no other.
 */
final class PublisherKill {

    static final Duration WAIT = Waits.CONDITION;
    private static final Pattern CONFIRMED = Pattern.compile("^confirmed (\\d+) (\\d+) (\\d+)$");

    private final List<BrokerProcess> brokers;

    PublisherKill(List<BrokerProcess> brokers) {
        this.brokers = brokers;
    }

    void run(String round, int count, int batchSize, int perSecond, int killAt) throws IOException {
        Queues queues = Queues.named("publisher." + round);
        try (CentralLog central = CentralLog.subscribe(Brokers.uriList(brokers), queues)) {
            // given: the publisher JVM sending at a steady pace
            ChildProcess publisher = ChildProcess.java(PublisherApp.class.getName()).name("publisher-" + round)
                    .classpathFilter(PublisherKill::publisherClasspath)
                    .args("--brokers", Brokers.uris(brokers), "--destination", queues.logging(), "--prefix", round,
                            "--count", Integer.toString(count), "--batch", Integer.toString(batchSize),
                            "--per-second", Integer.toString(perSecond),
                            // it waits half-way (or at killAt) for the kill, so the kill is mid-stream however slow
                            "--pause-at", Integer.toString(Math.max(killAt, count / 2)))
                    .start();

            // when: the broker that confirmed the latest batch is SIGKILLed once killAt records were confirmed
            await().atMost(WAIT).until(() -> lastConfirmed(publisher) >= killAt - 1);
            int inUse = lastConfirmedPort(publisher);
            BrokerProcess victim = brokers.stream().filter(b -> b.port() == inUse).findFirst().orElseThrow();
            victim.kill();
            int confirmedAtKill = lastConfirmed(publisher) + 1;
            publisher.writeStdin("go\n");
            victim.restart();
            publisher.awaitLine(Pattern.compile("^sent " + count + " failovers [1-9]"), WAIT);

            // then: every record (all were confirmed in the end) reached the subscriber, and nothing else
            assertThat(confirmedAtKill).as("killed mid-stream").isLessThan(count);
            Set<String> expected = new HashSet<>();
            for (int seq = 0; seq < count; seq++) {
                expected.add(round + "-" + seq);
            }
            try {
                await().atMost(WAIT).until(() -> central.logging().keySet().containsAll(expected));
            } catch (ConditionTimeoutException e) {
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(central.logging().keySet());
                throw new AssertionError(missing.size() + " of " + count + " confirmed records never reached the "
                        + "subscriber, e.g. " + missing.stream().limit(5).toList() + " (kill after " + confirmedAtKill
                        + " of " + victim + ")", e);
            }
            assertThat(central.logging().keySet()).as("the records sent, nothing else").isEqualTo(expected);
            assertThat(central.loggingDeliveriesByPort()).as("both brokers delivered").hasSize(2);
            assertThat(central.undecodable()).isEmpty();
            publisher.close();
        }
    }

    private static int lastConfirmed(ChildProcess publisher) {
        Matcher m = lastConfirmedLine(publisher);
        return m == null ? -1 : Integer.parseInt(m.group(2));
    }

    private static int lastConfirmedPort(ChildProcess publisher) {
        return Integer.parseInt(lastConfirmedLine(publisher).group(3));
    }

    private static Matcher lastConfirmedLine(ChildProcess publisher) {
        List<String> lines = publisher.stdoutLines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = CONFIRMED.matcher(lines.get(i));
            if (m.matches()) {
                return m;
            }
        }
        return null;
    }

    /** dqlog-core, jackson-core and the class of the publisher: a plain Java tool, no broker or framework jars. */
    private static boolean publisherClasspath(String entry) {
        return entry.endsWith("test-classes") || entry.matches(".*/core/target[^/]*/classes")
                || entry.matches(".*/dqlog-core-[0-9][^/]*(?<!-tests)\\.jar") || entry.matches(".*/jackson-core-[0-9][^/]*\\.jar");
    }
}
