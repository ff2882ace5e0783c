package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.dqlog.core.Level;
import org.dqlog.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class DropCounterTest {

    @Test
    void countsPerLevelWithFirstAndLastTimeAndResetsToZero() {
        // given
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        DropCounter counter = new DropCounter(clock);

        // when
        counter.record(Level.DEBUG, false);
        clock.set(Instant.parse("2026-01-01T10:00:05Z"));
        counter.record(Entries.log("i1", Level.INFO));
        counter.record(Entries.panic("p1"));
        DropCounter.Snapshot dropped = counter.snapshotAndReset();

        // then
        assertThat(dropped.total()).isEqualTo(3);
        assertThat(dropped.count(Level.DEBUG)).isEqualTo(1);
        assertThat(dropped.count(Level.INFO)).isEqualTo(1);
        assertThat(dropped.count(Level.FATAL)).isEqualTo(1);
        assertThat(dropped.panics()).isEqualTo(1);
        assertThat(dropped.firstDrop()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(dropped.lastDrop()).isEqualTo(Instant.parse("2026-01-01T10:00:05Z"));
        assertThat(dropped.toString()).contains("dropped 3 records", "DEBUG 1", "INFO 1", "FATAL 1", "panics 1");
        DropCounter.Snapshot afterReset = counter.snapshot();
        assertThat(afterReset.isEmpty()).isTrue();
        assertThat(afterReset.firstDrop()).isNull();
        assertThat(afterReset.count(Level.DEBUG)).isZero();
    }
}
