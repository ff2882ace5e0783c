package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(1);

    @Test
    void delaysDoubleFromTheMinimumUpToTheCapWithJitterInTheUpperHalfOfEachStep() {
        Backoff lowest = new Backoff(MIN, MAX, () -> 0.0);
        Backoff highest = new Backoff(MIN, MAX, () -> 0.999999);

        assertThat(lowest.delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(highest.delay(1)).isEqualTo(Duration.ofMillis(99));
        assertThat(lowest.delay(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(highest.delay(3)).isEqualTo(Duration.ofMillis(399));
        assertThat(lowest.delay(5)).isEqualTo(Duration.ofMillis(500));
        assertThat(highest.delay(5)).isEqualTo(Duration.ofMillis(999));
        assertThat(highest.delay(1000)).as("capped, no overflow").isEqualTo(Duration.ofMillis(999));
        assertThat(lowest.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsAZeroMinimumAndAMaximumBelowTheMinimum() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(MAX, MIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below");
    }
}
