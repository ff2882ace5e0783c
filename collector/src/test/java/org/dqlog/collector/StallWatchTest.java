package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dqlog.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    /** A pipeline as the watch sees it. */
    private static final class FakePipeline implements StallWatch.Progress {
        int waiting;
        Instant progressAt = T0;

        @Override
        public String name() {
            return "logging";
        }

        @Override
        public int waiting() {
            return waiting;
        }

        @Override
        public Instant progressAt() {
            return progressAt;
        }
    }

    @Test
    void recordsWaitingWithNothingArchivedForTheStallTimeoutAreAProblemAndProgressClearsIt() {
        // given
        FakePipeline pipeline = new FakePipeline();
        StallWatch watch = new StallWatch(clock, Duration.ofMinutes(2), List.of(pipeline));

        // when: messages wait, nothing is completed, and time passes
        pipeline.waiting = 40;
        clock.advance(Duration.ofSeconds(119));
        List<String> early = watch.problems();
        clock.advance(Duration.ofSeconds(1));
        List<String> stalled = watch.problems();

        // then
        assertThat(early).isEmpty();
        assertThat(stalled).singleElement().asString().contains("pipeline 'logging' stalled").contains("40 messages");

        // when: a batch completes
        pipeline.progressAt = clock.instant();
        assertThat(watch.problems()).isEmpty();
    }

    @Test
    void anIdlePipelineIsNeverStalledHoweverLongAgoItsLastBatchWas() {
        FakePipeline pipeline = new FakePipeline();
        StallWatch watch = new StallWatch(clock, Duration.ofMinutes(2), List.of(pipeline));

        clock.advance(Duration.ofHours(5));

        assertThat(watch.problems()).isEmpty();
    }
}
