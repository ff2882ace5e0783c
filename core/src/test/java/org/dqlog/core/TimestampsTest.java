package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {

    @ParameterizedTest
    @CsvSource({
            "2026-11-26T23:59:59.123456Z, 2026-11-26T23:59:59.123456Z",
            "2026-11-26T23:59:59Z, 2026-11-26T23:59:59.000000Z",
            "1970-01-01T00:00:00.000001Z, 1970-01-01T00:00:00.000001Z",
            "1969-12-31T23:59:59.999999999Z, 1969-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00Z, 0001-01-01T00:00:00.000000Z",
            "+12026-01-01T00:00:00Z, +12026-01-01T00:00:00.000000Z"})
    void formatsUtcWithSixFractionDigits(String instant, String text) {
        assertThat(Timestamps.format(Instant.parse(instant))).isEqualTo(text);
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
            "2015-04-13T12:02:57.908+02:00, 2015-04-13T10:02:57.908Z",
            "2015-04-13T12:02:57+0200, 2015-04-13T10:02:57Z",
            "2015-04-13 10:02:57.1, 2015-04-13T10:02:57.100Z",
            "2015-04-13t10:02:57.123456789z, 2015-04-13T10:02:57.123456Z",
            "2015-04-13T05:02:57.5-05:00, 2015-04-13T10:02:57.500Z",
            "2015-04-13T10:02, 2015-04-13T10:02:00Z"})
    void readsIsoTimesFromOtherProducers(String text, String instant) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(instant));
    }

    @Test
    void rejectsWhatIsNoDateTime() {
        assertThatThrownBy(() -> Timestamps.parse("13/04/2015")).isInstanceOf(DateTimeException.class)
                .hasMessageContaining("'13/04/2015'");
        assertThatThrownBy(() -> Timestamps.parse("2015-04-31T00:00:00Z")).isInstanceOf(DateTimeException.class);
    }

    @Test
    void theCanonicalFormReadsBackToTheSameInstantAndImpossibleCanonicalDatesAreRefused() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE) * 4L - 4L * Integer.MAX_VALUE / 2,
                    random.nextInt(1_000_000) * 1_000L);
            assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
        }
        assertThat(Timestamps.parse("2024-02-29T23:59:59.999999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999Z"));
        for (String impossible : new String[] {"2023-02-29T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z",
                "2026-11-26T24:00:00.000000Z", "2026-11-26T23:60:00.000000Z", "2026-11-31T00:00:00.000000Z",
                "2026-11-2xT00:00:00.000000Z"}) {
            assertThatThrownBy(() -> Timestamps.parse(impossible)).as(impossible).isInstanceOf(DateTimeException.class);
        }
    }

    @Test
    void convertsEpochSecondsWithTheirDecimalDigits() {
        assertThat(Timestamps.fromEpochSeconds(1428919377.908)).isEqualTo(Instant.parse("2015-04-13T10:02:57.908Z"));
        assertThat(Timestamps.fromEpochSeconds(-0.5)).isEqualTo(Instant.parse("1969-12-31T23:59:59.500Z"));
        assertThat(Timestamps.fromEpochSeconds(1.0000001)).isEqualTo(Instant.parse("1970-01-01T00:00:01Z"));
        assertThat(Timestamps.fromEpochSeconds(Double.NaN)).isNull();
        assertThat(Timestamps.fromEpochSeconds(Double.POSITIVE_INFINITY)).isNull();
        assertThat(Timestamps.fromEpochSeconds(1e300)).isNull();
    }

    @Test
    void formatsLocalTimeForHumansAsThePythonToolingDoes() {
        assertThat(Timestamps.forHumans(Instant.parse("2015-04-13T10:02:57.908Z"), ZoneId.of("Europe/Zurich")))
                .isEqualTo("2015-04-13 12:02:57 CEST");
    }
}
