package org.dqlog.collector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells {@code /health} when the collector is connected yet not collecting: messages have waited
 * in a pipeline for {@code http.stallTimeout} while it completed nothing (a worker stuck on a
 * batch that keeps failing, a store that no longer writes). Connections alone would say ok.
 *
 * <p>Thread-safe: reads volatile state of the pipelines only.
 */
final class StallWatch {

    /** What the watch needs to know of a pipeline. */
    interface Progress {
        String name();

        /** Messages received and not yet completed. */
        int waiting();

        /** When it last completed a batch or had nothing to do. */
        Instant progressAt();
    }

    private final Clock clock;
    private final Duration stallTimeout;
    private final List<? extends Progress> pipelines;

    StallWatch(Clock clock, Duration stallTimeout, List<? extends Progress> pipelines) {
        this.clock = clock;
        this.stallTimeout = stallTimeout;
        this.pipelines = List.copyOf(pipelines);
    }

    /** One line per stalled pipeline; empty while everything waiting is being archived. */
    List<String> problems() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        for (Progress p : pipelines) {
            int waiting = p.waiting();
            Duration idle = Duration.between(p.progressAt(), now);
            if (waiting > 0 && idle.compareTo(stallTimeout) >= 0) {
                problems.add("pipeline '" + p.name() + "' stalled: " + waiting + " messages waiting, nothing archived for "
                        + idle.toSeconds() + " s (stallTimeout " + stallTimeout.toSeconds() + " s)");
            }
        }
        return problems;
    }
}
