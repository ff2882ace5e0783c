package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLineTest {

    private static final Instant TS = Instant.parse("2026-11-26T23:59:59.123456Z");

    private static LogRecord.Builder plain() {
        return LogRecord.builder().id("prod-1:42").ts(TS).rts(Instant.parse("2026-11-27T00:00:00.000001Z"))
                .host("pc-tier0-01").app("webdisplay").pid(4242L).level(Level.ERROR)
                .logger("org.dq.Web").thread("main").message("disk full");
    }

    @Test
    void humanPartShowsTheFieldsInFixedColumnsBeforeTheSeparator() {
        // given
        LogRecord record = plain()
                .exception(new ExceptionInfo("java.io.IOException", "No space", "java.io.IOException: No space\n\tat X.y(X.java:1)\n"))
                .build();

        // when
        String line = LogLine.format(record);

        // then
        assertThat(LogLine.humanPart(line)).isEqualTo("2026-11-26T23:59:59.123456Z ERROR pc-tier0-01 webdisplay[4242]"
                + " [main] org.dq.Web - disk full | java.io.IOException: No space");
        assertThat(line.chars().filter(c -> c == '\t').count()).isEqualTo(1);
        assertThat(line).doesNotContain("\n", "\r");
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() throws Exception {
        // given
        LogRecord record = plain().type("Log").putMdc("run", "123").putMdc("stream", "physics_Main")
                .exception(new ExceptionInfo("java.lang.IllegalStateException", "outer\nline2",
                        "java.lang.IllegalStateException: outer\n\tat a.B.c(B.java:3)\nCaused by: java.io.IOException\n"))
                .truncated(true).build();
        LogRecord panic = LogRecord.builder().id("msg-id:ID:broker-1").ts(TS).rts(TS.plusMillis(3))
                .host("unknown-host").panic(true).message("The sky is falling")
                .command("/usr/bin/dqm_job.py").arguments(List.of("-r", "123456", "a b"))
                .traceback(List.of("  File \"x.py\", line 1, in <module>\n", "    panic('x')\n"))
                .cwd("/home/dq").time(1428919377.908).usrtime("Mon Apr 13 12:02:57 2015").build();

        // when / then
        assertThat(LogLine.parse(LogLine.format(record))).isEqualTo(record);
        assertThat(LogLine.parse(LogLine.format(panic))).isEqualTo(panic);
        assertThat(LogLine.humanPart(LogLine.format(panic))).startsWith("2026-11-26T23:59:59.123456Z PANIC unknown-host - [-] - - The sky");
    }

    @Test
    void controlAndInvisibleCharactersAreEscapedInTheHumanPartAndSurviveInTheRecord() throws Exception {
        // given
        String nasty = "a\tb\\c\u0000d\u0001e\u001bf\u007fg\u0085h\u2028i\u2029j\u202ek\ufeffl\r\n"
                + "lone\ud800surrogate \ud83d\ude00 ok";
        LogRecord record = plain().message(nasty).thread(nasty).logger("x\ty").host("h\nx").putMdc("k\n", nasty).build();

        // when
        String line = LogLine.format(record);

        // then
        assertThat(LogLine.humanPart(line)).contains(
                "a\\tb\\\\c\\u0000d\\u0001e\\u001bf\\u007fg\\u0085h\\u2028i\\u2029j\\u202ek\\ufeffl\\r\\nlone\\ud800surrogate \ud83d\ude00 ok");
        assertThat(line.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x202e))
                .containsExactly((int) '\t');
        assertThat(LogLine.parse(line)).isEqualTo(record);
    }

    @Test
    void aMessageCannotForgeASecondLine(@TempDir Path dir) throws Exception {
        // given
        String forged = "ok\n2026-11-26T23:59:59.123456Z FATAL pc-tier0-01 root[1] [main] root - forged\t{\"id\":\"evil\"}";
        LogRecord record = plain().message(forged).build();
        Path file = dir.resolve("h.log");

        // when
        Files.writeString(file, LogLine.format(record) + "\n", StandardCharsets.UTF_8);

        // then
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(LogLine.parse(lines.get(0)).message()).isEqualTo(forged);
        assertThat(LogLine.parse(lines.get(0)).id()).isEqualTo("prod-1:42");
        assertThat(grep(file, "-c", "^2026-11-26T23:59:59.123456Z FATAL")).isEqualTo("0");
    }

    @Test
    void grepSeesTheHumanPart(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("h.log");
        Files.writeString(file, LogLine.format(plain().build()) + "\n"
                + LogLine.format(plain().id("2").level(Level.INFO).message("fine").build()) + "\n", StandardCharsets.UTF_8);

        // when
        String out = grep(file, "-E", "^[0-9T:.-]+Z ERROR pc-tier0-[0-9]+ webdisplay\\[4242\\] \\[main\\] org\\.dq\\.Web - disk full\t");

        // then
        assertThat(out).startsWith("2026-11-26T23:59:59.123456Z ERROR").contains("\"id\":\"prod-1:42\"").doesNotContain("fine");
    }

    @Test
    void missingFieldsShowAsDashes() throws Exception {
        // given
        LogRecord record = LogRecord.builder().id("x").build();

        // when
        String line = LogLine.format(record);

        // then
        assertThat(LogLine.humanPart(line)).isEqualTo("- - - - [-] - - ");
        assertThat(LogLine.parse(line)).isEqualTo(record);
    }

    @Test
    void aDamagedLineIsRejectedWithAClearReason() {
        assertThatThrownBy(() -> LogLine.parse("2026-11-26T23:59:59.123456Z ERROR no json here"))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("no TAB");
        String line = LogLine.format(plain().build());
        assertThatThrownBy(() -> LogLine.parse(line.substring(0, line.length() - 10)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("damaged log line");
    }

    @Test
    void parseAcceptsATrailingNewline() throws Exception {
        LogRecord record = plain().build();
        assertThat(LogLine.parse(LogLine.format(record) + "\r\n")).isEqualTo(record);
    }

    private static String grep(Path file, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add("grep");
        command.addAll(List.of(args));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
