package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(Files.readAllLines(data.resolve(NotifiedIds.FILE_NAME), StandardCharsets.US_ASCII))
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
        assertThat(Files.readAllLines(file)).containsExactly("done-1", "done-2", "next");
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
        assertThat(Files.readAllLines(data.resolve(NotifiedIds.FILE_NAME))).hasSize(10);
    }
}
