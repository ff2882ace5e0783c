package org.dqlog.archive.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeSpecTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void relativeTimesCountBackFromNow() {
        assertThat(TimeSpec.parse("--since", "30s", NOW)).isEqualTo(NOW.minusSeconds(30));
        assertThat(TimeSpec.parse("--since", "15m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
        assertThat(TimeSpec.parse("--since", "2h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(2)));
        assertThat(TimeSpec.parse("--since", "3d", NOW)).isEqualTo(NOW.minus(Duration.ofDays(3)));
        assertThat(TimeSpec.parse("--since", "1w", NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(TimeSpec.parse("--until", "now", NOW)).isEqualTo(NOW);
    }

    @Test
    void isoDatesAndDateTimesWithoutOffsetAreUtc() {
        assertThat(TimeSpec.parse("--since", "2026-11-25", NOW)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(TimeSpec.parse("--since", "2026-11-25T10:30", NOW)).isEqualTo(Instant.parse("2026-11-25T10:30:00Z"));
        assertThat(TimeSpec.parse("--since", "2026-11-25 10:30:15.5", NOW)).isEqualTo(Instant.parse("2026-11-25T10:30:15.5Z"));
        assertThat(TimeSpec.parse("--since", "2026-11-25T10:30:00+02:00", NOW)).isEqualTo(Instant.parse("2026-11-25T08:30:00Z"));
        assertThat(TimeSpec.parse("--since", "2026-11-25T10:30:00Z", NOW)).isEqualTo(Instant.parse("2026-11-25T10:30:00Z"));
    }

    @Test
    void anythingElseIsAnErrorNamingTheOptionAndTheForms() {
        assertThatThrownBy(() -> TimeSpec.parse("--until", "2 hours ago", NOW))
                .isInstanceOf(SearchException.class)
                .hasMessageStartingWith("bad time for --until: '2 hours ago' (expected 30s, 15m, 2h, 3d, 1w");
        assertThatThrownBy(() -> TimeSpec.parse("--since", "2026-13-01", NOW)).isInstanceOf(SearchException.class);
    }
}
