package org.dqlog.collector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.dqlog.core.testing.MutableClock;
import org.dqlog.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceGuardTest {

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final RecordingStatus status = new RecordingStatus();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final DiskSpaceGuard.Listener listener = new DiskSpaceGuard.Listener() {
        @Override
        public void diskFull(long usableBytes, long minFreeBytes) {
            transitions.add("full");
        }

        @Override
        public void diskOk(long usableBytes, long minFreeBytes) {
            transitions.add("ok");
        }
    };

    @Test
    void hugeThresholdReportsFullOnceThenBackWhenSpaceReturns() {
        // given: a real file system and a threshold no disk reaches
        DiskSpaceGuard guard = DiskSpaceGuard.forDirectory(data, Long.MAX_VALUE, clock, Duration.ofSeconds(1),
                status, listener);

        // when / then: full, reported once however often asked
        assertThat(guard.hasRoom()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(guard.hasRoom()).isFalse();
        assertThat(guard.hasRoom()).isFalse();
        assertThat(guard.isFull()).isTrue();
        assertThat(guard.usableBytes()).isPositive();
        assertThat(transitions).containsExactly("full");
        assertThat(status.messages()).singleElement().asString().startsWith("ERROR disk full at " + data);

        // when: space "returns"
        guard.setMinFreeBytes(0);
        clock.advance(Duration.ofSeconds(2));

        // then
        assertThat(guard.hasRoom()).isTrue();
        assertThat(guard.hasRoom()).isTrue();
        assertThat(transitions).containsExactly("full", "ok");
        assertThat(status.messages()).hasSize(2).last().asString().startsWith("INFO disk space back at ");
    }

    @Test
    void measuresAtMostOncePerCacheTime() {
        // given
        AtomicInteger measurements = new AtomicInteger();
        DiskSpaceGuard guard = new DiskSpaceGuard(() -> {
            measurements.incrementAndGet();
            return 1000;
        }, "test", 100, clock, Duration.ofSeconds(1), status, null);

        // when
        for (int i = 0; i < 10; i++) {
            guard.hasRoom();
        }
        clock.advance(Duration.ofMillis(999));
        guard.hasRoom();
        clock.advance(Duration.ofMillis(1));
        guard.hasRoom();

        // then
        assertThat(measurements).hasValue(2);
        assertThat(status.messages()).isEmpty();
    }

    @Test
    void aFileSystemThatCannotBeMeasuredCountsAsFull() {
        // given
        DiskSpaceGuard guard = new DiskSpaceGuard(() -> {
            throw new IOException("gone");
        }, "test", 0, clock, Duration.ofSeconds(1), status, listener);

        // when / then
        assertThat(guard.hasRoom()).isFalse();
        assertThat(guard.usableBytes()).isEqualTo(-1);
        assertThat(transitions).containsExactly("full");
        assertThat(status.messages()).singleElement().asString().contains("cannot measure free space");
    }
}
