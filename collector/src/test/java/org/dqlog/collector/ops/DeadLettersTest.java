package org.dqlog.collector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dqlog.collector.Json;
import org.dqlog.core.testing.MutableClock;
import org.dqlog.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLettersTest {

    private static final Instant T0 = Instant.parse("2026-11-26T23:59:58.123456Z");
    private static final long MAX_BODY = 1024;

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingStatus status = new RecordingStatus();

    private DeadLetters open(long maxFileBytes) throws IOException {
        return DeadLetters.open(data.resolve("deadletter"), MAX_BODY, maxFileBytes, clock, status);
    }

    private int sequence = 3;

    /** A letter of a message of its own (message-id ID:mq1-1:2:3:4, then :5, :6, ...). */
    private DeadLetter letter(DeadLetterReason reason, String detail, byte[] body) {
        return letter("ID:mq1-1:2:3:" + ++sequence, reason, detail, body);
    }

    private static DeadLetter letter(String messageId, DeadLetterReason reason, String detail, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("message-id", messageId);
        headers.put("destination", "/queue/atlas.dqm.logging");
        headers.put("MsgClass", "DQ");
        headers.put("host", "web\n01 \"quoted\"");
        return new DeadLetter(T0, "tcp://mq1:61613 (10.0.0.7)", "/queue/atlas.dqm.logging", headers, reason, detail, body);
    }

    private List<Map<String, Object>> readAll() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("deadletter"))) {
            return files.sorted().flatMap(f -> lines(f).stream()).map(Json::object).collect(Collectors.toList());
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void undecodableMessageIsWrittenAsOneJsonLineWithHeadersReasonAndRawBody() throws IOException {
        // given
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            // when
            letters.write(letter(DeadLetterReason.UNDECODABLE, "unexpected end of input",
                    "{\"message\": \"half a rec\nord".getBytes(StandardCharsets.UTF_8)));

            // then: readable by a fresh reader as soon as write returned
            assertThat(letters.currentFile()).hasFileName("deadletter-20261126.log");
        }
        List<Map<String, Object>> entries = readAll();
        assertThat(entries).hasSize(1);
        Map<String, Object> e = entries.get(0);
        assertThat(e).containsEntry("rts", "2026-11-26T23:59:58.123456Z")
                .containsEntry("broker", "tcp://mq1:61613 (10.0.0.7)")
                .containsEntry("destination", "/queue/atlas.dqm.logging")
                .containsEntry("reason", "undecodable")
                .containsEntry("detail", "unexpected end of input")
                .containsEntry("bodyBase64", false)
                .containsEntry("bodyTruncated", false)
                .containsEntry("bodyBytes", 27L)
                .containsEntry("body", "{\"message\": \"half a rec\nord");
        assertThat(e.get("headers")).isEqualTo(Map.of("message-id", "ID:mq1-1:2:3:4",
                "destination", "/queue/atlas.dqm.logging", "MsgClass", "DQ", "host", "web\n01 \"quoted\""));
    }

    @Test
    void aMessageIsDeadLetteredOnceHoweverOftenItIsDeliveredAlsoAcrossARestart() throws IOException {
        // given: the same message (same message-id) delivered three times, twice in one batch
        byte[] body = "not json".getBytes(StandardCharsets.UTF_8);
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            letters.writeAll(List.of(letter("ID:again-1", DeadLetterReason.UNDECODABLE, null, body),
                    letter("ID:again-1", DeadLetterReason.UNDECODABLE, null, body)));
            letters.write(letter("ID:again-1", DeadLetterReason.UNDECODABLE, null, body));
            assertThat(letters.count(DeadLetterReason.UNDECODABLE)).isEqualTo(1);
        }

        // when: redelivered after a restart, a day later
        clock.advance(Duration.ofDays(1));
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            letters.write(letter("ID:again-1", DeadLetterReason.UNDECODABLE, null, body));
            letters.write(letter("ID:other-2", DeadLetterReason.UNDECODABLE, null, body));
        }

        // then: one letter per message
        assertThat(readAll()).extracting(l -> (Object) ((Map<?, ?>) l.get("headers")).get("message-id"))
                .containsExactly((Object) "ID:again-1", "ID:other-2");
    }

    @Test
    void eachBadLineOfABatchIsDeadLetteredOnceAlsoAcrossARestart() throws IOException {
        // given: lines 2 and 5 of one batch message, delivered twice; the whole of another message
        byte[] line = "not json".getBytes(StandardCharsets.UTF_8);
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            letters.writeAll(List.of(line("ID:batch-1", 2, line), line("ID:batch-1", 5, line)));
            letters.writeAll(List.of(line("ID:batch-1", 2, line), line("ID:batch-1", 5, line)));
            letters.write(letter("ID:batch-1", DeadLetterReason.UNDECODABLE, null, line));
            assertThat(letters.count(DeadLetterReason.UNDECODABLE)).isEqualTo(3);
        }

        // when: the batch is redelivered after a restart
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            letters.writeAll(List.of(line("ID:batch-1", 2, line), line("ID:batch-1", 5, line)));
            letters.write(line("ID:batch-1", 7, line));
        }

        // then: one letter per line, each naming its line; the whole-message letter apart
        assertThat(readAll()).extracting(l -> l.get("line")).containsExactly(2L, 5L, null, 7L);
    }

    private static DeadLetter line(String messageId, int line, byte[] body) {
        DeadLetter whole = letter(messageId, DeadLetterReason.UNDECODABLE, "line " + line, body);
        return new DeadLetter(whole.receivedAt(), whole.broker(), whole.destination(), whole.headers(), whole.reason(),
                whole.detail(), body, body.length, line);
    }

    @Test
    void binaryBodyIsKeptInBase64WithAFlag() throws IOException {
        // given
        byte[] body = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3};
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            // when
            letters.write(letter(DeadLetterReason.UNDECODABLE, "not UTF-8", body));
        }

        // then
        Map<String, Object> e = readAll().get(0);
        assertThat(e).containsEntry("bodyBase64", true).containsEntry("bodyTruncated", false);
        assertThat(Base64.getDecoder().decode((String) e.get("body"))).isEqualTo(body);
    }

    @Test
    void oversizeBodyIsCutAtTheLimitAndSaysSo() throws IOException {
        // given: a text body of 3000 bytes, with two-byte characters so that the cut falls inside one
        String text = "é".repeat(1500);
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            // when
            letters.write(letter(DeadLetterReason.OVERSIZE, "3000 bytes > 1024", text.getBytes(StandardCharsets.UTF_8)));
            letters.write(letter(DeadLetterReason.OVERSIZE, null, new byte[5000]));
        }

        // then: the text stays text, cut at a character boundary within the limit
        List<Map<String, Object>> entries = readAll();
        Map<String, Object> cutText = entries.get(0);
        assertThat(cutText).containsEntry("reason", "oversize").containsEntry("bodyTruncated", true)
                .containsEntry("bodyBase64", false).containsEntry("bodyBytes", 3000L);
        assertThat((String) cutText.get("body")).isEqualTo("é".repeat(512));
        Map<String, Object> cutBinary = entries.get(1);
        assertThat(cutBinary).containsEntry("bodyTruncated", true).containsEntry("bodyBytes", 5000L)
                .doesNotContainKey("detail");
        assertThat((String) cutBinary.get("body")).hasSizeLessThanOrEqualTo((int) MAX_BODY);
    }

    @Test
    void countsEachReasonAndReportsTheFirstOfEach() throws IOException {
        // given
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            // when: a batch written with one fsync
            letters.writeAll(List.of(
                    letter(DeadLetterReason.MISSING_FIELDS, "no host", "{}".getBytes(StandardCharsets.UTF_8)),
                    letter(DeadLetterReason.MISSING_FIELDS, "no host", "{}".getBytes(StandardCharsets.UTF_8)),
                    letter(DeadLetterReason.UNDECODABLE, "x", "x".getBytes(StandardCharsets.UTF_8))));

            // then
            assertThat(letters.count(DeadLetterReason.MISSING_FIELDS)).isEqualTo(2);
            assertThat(letters.count(DeadLetterReason.UNDECODABLE)).isEqualTo(1);
            assertThat(letters.count(DeadLetterReason.OVERSIZE)).isZero();
            assertThat(letters.total()).isEqualTo(3);
        }
        assertThat(readAll()).extracting(e -> e.get("reason"))
                .containsExactly("missing-fields", "missing-fields", "undecodable");
        assertThat(status.messages()).filteredOn(m -> m.startsWith("WARN dead letter #1 ")).hasSize(2);
        assertThat(status.messages()).noneMatch(m -> m.contains("#2 "));
    }

    @Test
    void continuesInANewFileWhenTheSizeLimitOrTheDayIsReached() throws IOException {
        // given: files of at most about two entries
        byte[] body = "x".repeat(300).getBytes(StandardCharsets.UTF_8);
        try (DeadLetters letters = open(1500)) {
            // when
            for (int i = 0; i < 5; i++) {
                letters.write(letter(DeadLetterReason.UNDECODABLE, "n" + i, body));
            }
            clock.advance(Duration.ofSeconds(5));
            letters.write(letter(DeadLetterReason.UNDECODABLE, "next day", body));
        }

        // then
        try (Stream<Path> files = Files.list(data.resolve("deadletter"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "deadletter-20261126.log", "deadletter-20261126-1.log", "deadletter-20261126-2.log",
                    "deadletter-20261127.log");
        }
        for (Path f : List.of(data.resolve("deadletter/deadletter-20261126.log"),
                data.resolve("deadletter/deadletter-20261126-1.log"))) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(1500);
        }
        assertThat(readAll()).extracting(e -> e.get("detail"))
                .containsExactlyInAnyOrder("n0", "n1", "n2", "n3", "n4", "next day");
    }

    @Test
    void afterARestartAppendsToTodaysLastFile() throws IOException {
        // given
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            letters.write(letter(DeadLetterReason.UNDECODABLE, "before", new byte[] {'a'}));
        }

        // when
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            letters.write(letter(DeadLetterReason.UNDECODABLE, "after", new byte[] {'b'}));
        }

        // then
        assertThat(lines(data.resolve("deadletter/deadletter-20261126.log"))).hasSize(2);
    }

    @Test
    void headerWithABrokenSurrogateIsStillWritten() throws IOException {
        // given: header text as a hostile producer could make it
        Map<String, String> headers = Map.of("app", "bad\uD800tail");
        DeadLetter letter = new DeadLetter(T0, "tcp://mq1:61613", "/queue/atlas.dqm.panic", headers,
                DeadLetterReason.UNDECODABLE, "x", new byte[] {'{'});
        try (DeadLetters letters = open(DeadLetters.DEFAULT_MAX_FILE_BYTES)) {
            // when
            letters.write(letter);
        }

        // then
        assertThat(readAll().get(0).get("headers")).isEqualTo(Map.of("app", "bad\uFFFDtail"));
    }
}
