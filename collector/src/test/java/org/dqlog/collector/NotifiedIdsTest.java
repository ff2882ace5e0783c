package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifiedIdsTest {

    @TempDir
    Path data;

    @Test
    void idsSurviveAReopenWhateverCharactersTheyHold() throws Exception {
        // given
        List<String> ids = List.of("k3q7vz0m2h5c-42", "msgid:ID:mb201.cern.ch-28854-1:304485:-1:1:1",
                "with space", "line\nbreak", "per%cent", "Zürich-节点");
        try (NotifiedIds notified = NotifiedIds.open(data, 100)) {
            // when
            notified.addAll(ids);
        }

        // then
        try (NotifiedIds reopened = NotifiedIds.open(data, 100)) {
            assertThat(ids).allSatisfy(id -> assertThat(reopened.contains(id)).as(id).isTrue());
            assertThat(reopened.contains("never-notified")).isFalse();
        }
        assertThat(idsInFile())
                .hasSize(ids.size())
                .contains("line%0Abreak", "per%25cent", "with%20space");
    }

    @Test
    void unfinishedLastLineOfACrashIsDroppedAndCutOff() throws Exception {
        // given a file whose last append was cut short
        Path file = data.resolve(NotifiedIds.FILE_NAME);
        Files.writeString(file, "done-1\ndone-2\nhalf-wri", StandardCharsets.US_ASCII);

        // when
        try (NotifiedIds notified = NotifiedIds.open(data, 100)) {
            notified.addAll(List.of("next"));

            // then
            assertThat(notified.contains("done-2")).isTrue();
            assertThat(notified.contains("half-wri")).isFalse();
        }
        assertThat(idsInFile()).containsExactly("done-1", "done-2", "next");
    }

    @Test
    void anIdIsForgottenOnceItsRetentionHasPassedInMemoryAndInTheFile() throws Exception {
        // given
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        Duration retention = Duration.ofDays(14);
        try (NotifiedIds notified = NotifiedIds.open(data, 100, retention, clock)) {
            notified.addAll(List.of("old", "old-2", "old-3"));
            clock.advance(Duration.ofDays(10));
            notified.addAll(List.of("young"));

            // when
            clock.advance(Duration.ofDays(5));

            // then
            assertThat(notified.contains("old")).isFalse();
            assertThat(notified.contains("young")).isTrue();
            assertThat(notified.size()).isEqualTo(1);
        }
        try (NotifiedIds reopened = NotifiedIds.open(data, 100, retention, clock)) {
            assertThat(reopened.contains("old")).isFalse();
            assertThat(reopened.contains("young")).isTrue();
        }
        // a file holding more than twice what is remembered is rewritten on open
        assertThat(idsInFile()).containsExactly("young");
    }

    /** The escaped ids of the file, without the times beside them. */
    private List<String> idsInFile() throws java.io.IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve(NotifiedIds.FILE_NAME), StandardCharsets.US_ASCII)) {
            ids.add(line.split(" ")[0]);
        }
        return ids;
    }

    @Test
    void remembersTheNewestIdsUpToItsCapacityAndRewritesALongFile() throws Exception {
        // given
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add("id-" + i);
        }
        Files.write(data.resolve(NotifiedIds.FILE_NAME), ids, StandardOpenOption.CREATE);

        // when
        try (NotifiedIds notified = NotifiedIds.open(data, 10)) {
            // then
            assertThat(notified.size()).isEqualTo(10);
            assertThat(notified.contains("id-24")).isTrue();
            assertThat(notified.contains("id-15")).isTrue();
            assertThat(notified.contains("id-14")).isFalse();
        }
        assertThat(idsInFile()).hasSize(10);
    }
}
