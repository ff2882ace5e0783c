package org.dqlog.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void sizesReadDecimalAndBinaryUnits() {
        assertThat(Sizes.parse("512")).isEqualTo(512);
        assertThat(Sizes.parse("512B")).isEqualTo(512);
        assertThat(Sizes.parse("64MiB")).isEqualTo(64L * 1024 * 1024);
        assertThat(Sizes.parse("64 mib")).isEqualTo(64L * 1024 * 1024);
        assertThat(Sizes.parse("10GB")).isEqualTo(10_000_000_000L);
        assertThat(Sizes.parse("10G")).isEqualTo(10_000_000_000L);
        assertThat(Sizes.parse("1.5GiB")).isEqualTo(3L << 29);
        assertThat(Sizes.parse("2Ti")).isEqualTo(2L << 40);
        assertThat(Sizes.parse("3kB")).isEqualTo(3000);
    }

    @Test
    void sizesRefuseWhatTheyCannotRead() {
        for (String bad : new String[] {"12 potatoes", "", "-1MiB", "MiB", "1.5.2GB", "1 PB"}) {
            assertThatThrownBy(() -> Sizes.parse(bad)).as(bad).hasMessageStartingWith("not a size: '" + bad + "'");
        }
        assertThatThrownBy(() -> Sizes.parse("99999999TiB")).hasMessageStartingWith("too large");
    }

    @Test
    void sizesFormatToTheShortestExactForm() {
        for (long bytes : new long[] {0, 1, 1000, 1024, 64L << 20, 10_000_000_000L, 1_000_001, 3L << 29}) {
            assertThat(Sizes.parse(Sizes.format(bytes))).isEqualTo(bytes);
        }
        assertThat(Sizes.format(64L << 20)).isEqualTo("64MiB");
        assertThat(Sizes.format(10_000_000_000L)).isEqualTo("10GB");
    }

    @Test
    void durationsReadUnitsCombinationsAndIso() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void durationsRefuseBareNumbersAndNonsense() {
        for (String bad : new String[] {"10", "soon", "", "-1s", "1 s s", "10y", "P-1D"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).hasMessageStartingWith("not a duration: '" + bad + "'");
        }
    }

    @Test
    void durationsFormatBackToWhatTheyRead() {
        for (Duration d : new Duration[] {Duration.ZERO, Duration.ofMillis(250), Duration.ofMinutes(90),
                Duration.ofDays(180), Duration.ofMillis(90_061_001)}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    }
}
