package org.dqlog.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileReaderTest {

    @TempDir
    Path dir;

    private static final List<String> LINES = List.of("first", "x".repeat(200_000), "\u4e3b\u673a \ud83d\ude00", "",
            "y".repeat(65_535), "last");

    private static List<String> readAll(Path file, long start) throws Exception {
        List<String> lines = new ArrayList<>();
        try (LogFileReader reader = LogFileReader.open(file, start)) {
            String line;
            while ((line = reader.nextLine()) != null) {
                lines.add(line);
            }
            assertThat(reader.tornTail()).isFalse();
        }
        return lines;
    }

    @Test
    void linesLongerThanTheReadBufferComeBackWholeFromPlainAndCompressedFiles() throws Exception {
        // given
        byte[] text = (String.join("\n", LINES) + "\n").getBytes(StandardCharsets.UTF_8);
        Path plain = Files.write(dir.resolve("h.log"), text);
        Path gz = dir.resolve("h.2026-11-26.001.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text);
        }

        // when / then
        assertThat(readAll(plain, 0)).isEqualTo(LINES);
        assertThat(readAll(gz, 0)).isEqualTo(LINES);
    }

    @Test
    void readingFromAnOffsetReportsLineEndsAndAnUnfinishedLastLine() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("h.log"), "one\ntwo\nthr");

        // when
        try (LogFileReader reader = LogFileReader.open(file, 4)) {
            // then
            assertThat(reader.nextLine()).isEqualTo("two");
            assertThat(reader.lineEnd()).isEqualTo(8);
            assertThat(reader.nextLine()).isNull();
            assertThat(reader.tornTail()).isTrue();
            assertThat(reader.lineEnd()).isEqualTo(8);
        }
    }
}
