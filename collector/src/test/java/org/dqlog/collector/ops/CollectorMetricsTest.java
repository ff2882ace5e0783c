package org.dqlog.collector.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.dqlog.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class CollectorMetricsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final CollectorMetrics metrics = new CollectorMetrics(clock);

    @Test
    void recordsPerSecondAveragesOverTheLastTenSeconds() {
        // given
        clock.advance(Duration.ofSeconds(30));
        metrics.recordsReceived(50);
        clock.advance(Duration.ofSeconds(5));
        metrics.recordsReceived(50);
        clock.advance(Duration.ofSeconds(1));

        // then: 100 records in the 10 whole seconds before now
        assertThat(metrics.recordsPerSecond()).isCloseTo(10.0, within(1e-9));

        // when: the first 50 fall out of the window
        clock.advance(Duration.ofSeconds(5));
        assertThat(metrics.recordsPerSecond()).isCloseTo(5.0, within(1e-9));

        // when: all fall out
        clock.advance(Duration.ofSeconds(10));
        assertThat(metrics.recordsPerSecond()).isZero();
        assertThat(metrics.recordsReceived()).isEqualTo(100);
    }

    @Test
    void aThrowingSupplierLeavesItsMetricOutInsteadOfFailingTheScrape() {
        // given
        metrics.bindMail(() -> {
            throw new IllegalStateException("notifier closed");
        }, () -> 3, null);

        // when
        Exposition e = Exposition.parse(metrics.exposition());

        // then
        assertThat(e.has(CollectorMetrics.PREFIX + "panic_mails_sent_total")).isFalse();
        assertThat(e.value(CollectorMetrics.PREFIX + "panic_mails_pending")).isEqualTo("3");
    }

    @Test
    void healthyNeedsABrokerUpAndRoomOnDisk() {
        assertThat(metrics.healthy()).isFalse();
        metrics.brokerUp("tcp://mq1:61613");
        assertThat(metrics.healthy()).isTrue();
        metrics.bindDisk(() -> false, () -> 0, () -> 1);
        assertThat(metrics.healthy()).isFalse();
        metrics.bindDisk(() -> true, () -> 2, () -> 1);
        metrics.brokerDown("tcp://mq1:61613", "lost");
        assertThat(metrics.healthy()).isFalse();
        metrics.brokerRemoved("tcp://mq1:61613");
        assertThat(metrics.brokers()).isEmpty();
    }
}
