package org.dqlog.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.junit.jupiter.api.Test;

/** The benchmark compares equal work only if the hand-written writer writes exactly what RecordCodec writes. */
class HandWrittenJsonWriterTest {

    private final HandWrittenJsonWriter writer = new HandWrittenJsonWriter();

    @Test
    void writesTheSameBytesAsRecordCodecForTheBenchmarkRecords() {
        // given the records of CodecBenchmark
        for (LogRecord record : List.of(SampleRecords.typical(), SampleRecords.withStackTrace())) {
            // when / then
            assertThat(new String(writer.encode(record), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(RecordCodec.encodeToString(record));
        }
    }

    @Test
    void escapesControlCharactersAndLineSeparatorsAsRecordCodecDoes() throws Exception {
        // given every kind of character that needs care, in a panic with all its fields
        String tricky = "quote \" backslash \\ nl \n cr \r tab \t bell \u0007 del \u007F nel \u0085 c1 \u009F"
                + " ls \u2028 ps \u2029 é € \uD83D\uDE00 end";
        LogRecord record = LogRecord.builder().id("id-1").ts(Instant.parse("2026-11-26T10:00:00.5Z"))
                .host("h").app("a").pid(1L).level(Level.FATAL).logger("l").thread("t").message(tricky)
                .putMdc("k\u0001", tricky).putMdc("nothing", null)
                .exception(new ExceptionInfo("x.Y", null, "x.Y\n\tat a.b(C.java:1)\n"))
                .panic(true).truncated(true).command("merge.py").arguments(List.of("-v", tricky))
                .traceback(List.of("File \"m.py\", line 3\n")).cwd("/tmp").time(1.7645e9 + 0.25).usrtime("Thu Nov 26")
                .build();

        // when
        byte[] ours = writer.encode(record);

        // then
        assertThat(new String(ours, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(RecordCodec.encodeToString(record));
        assertThat(RecordCodec.decode(ours)).isEqualTo(record);
    }
}
