package org.dqlog.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySamplesTest {

    @Test
    void percentilesAreNearestRankOverTheRecordedCallsOnly() {
        // given 1..100 ns recorded in reverse into room for 1000
        LatencySamples samples = new LatencySamples(1000);
        for (int i = 100; i >= 1; i--) {
            samples.add(i);
        }

        // then
        assertThat(samples.count()).isEqualTo(100);
        assertThat(samples.percentile(50)).isEqualTo(50);
        assertThat(samples.percentile(99)).isEqualTo(99);
        assertThat(samples.percentile(99.9)).isEqualTo(100);
        assertThat(samples.max()).isEqualTo(100);
    }
}
