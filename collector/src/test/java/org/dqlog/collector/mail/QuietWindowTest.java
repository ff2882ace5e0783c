package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QuietWindowTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void nightWindowCrossesMidnight() {
        QuietWindow w = QuietWindow.parse("22:00-07:00");

        assertThat(w.endIfInside(Instant.parse("2026-01-05T21:59:59Z"), UTC)).isEmpty();
        assertThat(w.endIfInside(Instant.parse("2026-01-05T22:00:00Z"), UTC)).contains(Instant.parse("2026-01-06T07:00:00Z"));
        assertThat(w.endIfInside(Instant.parse("2026-01-06T06:59:59Z"), UTC)).contains(Instant.parse("2026-01-06T07:00:00Z"));
        assertThat(w.endIfInside(Instant.parse("2026-01-06T07:00:00Z"), UTC)).isEmpty();
    }

    @Test
    void daysNameTheDayTheWindowBegins() {
        // 2026-01-09 is a Friday
        QuietWindow w = QuietWindow.parse("Fri 22:00-07:00");

        assertThat(w.endIfInside(Instant.parse("2026-01-10T03:00:00Z"), UTC)).contains(Instant.parse("2026-01-10T07:00:00Z"));
        assertThat(w.endIfInside(Instant.parse("2026-01-10T23:00:00Z"), UTC)).isEmpty();
        assertThat(w.endIfInside(Instant.parse("2026-01-09T03:00:00Z"), UTC)).isEmpty();
    }

    @Test
    void wholeDaysAndRangesOfDays() {
        QuietWindow weekend = QuietWindow.parse("Sat,Sun 00:00-24:00");
        QuietWindow weekdays = QuietWindow.parse("mon-FRIDAY 12:00-13:00");

        assertThat(weekend.endIfInside(Instant.parse("2026-01-11T23:59:00Z"), UTC)).contains(Instant.parse("2026-01-12T00:00:00Z"));
        assertThat(weekend.endIfInside(Instant.parse("2026-01-12T00:00:00Z"), UTC)).isEmpty();
        assertThat(weekdays.endIfInside(Instant.parse("2026-01-07T12:30:00Z"), UTC)).contains(Instant.parse("2026-01-07T13:00:00Z"));
        assertThat(weekdays.endIfInside(Instant.parse("2026-01-10T12:30:00Z"), UTC)).isEmpty();
    }

    @Test
    void readsLocalTimeInTheConfiguredZone() {
        QuietWindow w = QuietWindow.parse("22:00-07:00");

        // 21:30 UTC is 22:30 in Geneva in winter
        assertThat(w.endIfInside(Instant.parse("2026-01-05T21:30:00Z"), ZoneId.of("Europe/Zurich")))
                .contains(Instant.parse("2026-01-06T06:00:00Z"));
    }

    @Test
    void rejectsWhatIsNotAWindow() {
        assertThatThrownBy(() -> QuietWindow.parse("night")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("night");
        assertThatThrownBy(() -> QuietWindow.parse("Funday 22:00-07:00")).hasMessageContaining("Funday");
        assertThatThrownBy(() -> QuietWindow.parse("25:00-07:00")).hasMessageContaining("25:00");
    }
}
