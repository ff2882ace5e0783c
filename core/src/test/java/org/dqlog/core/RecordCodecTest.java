package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordCodecTest {

    private static final Instant TS = Instant.parse("2026-11-26T23:59:59.123456Z");

    private static LogRecord.Builder full() {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("run", "261070");
        mdc.put("user", "atlasdqm");
        return LogRecord.builder().id("k3q7vz0m2h5c-42").ts(TS)
                .rts(Instant.parse("2026-11-27T00:00:00.000001Z")).host("lxplus901").app("dcsc")
                .pid(4242L).level(Level.WARN).logger("org.dq.Calc").thread("main").message("hello")
                .mdc(mdc).exception(new ExceptionInfo("java.io.IOException", "disk", "java.io.IOException: disk\n\tat X.y(X.java:1)\n"));
    }

    private static LogRecord roundTrip(LogRecord r) throws MalformedRecordException {
        return RecordCodec.decode(RecordCodec.encode(r));
    }

    @Test
    void roundTripsEveryFieldOfALogRecord() throws Exception {
        // given
        LogRecord r = full().truncated(true).build();

        // when
        LogRecord back = roundTrip(r);

        // then
        assertThat(back).isEqualTo(r);
        assertThat(back.mdc()).containsExactly(Map.entry("run", "261070"), Map.entry("user", "atlasdqm"));
    }

    @Test
    void roundTripsEveryFieldOfAPanic() throws Exception {
        // given
        LogRecord r = full().type(LogRecord.TYPE_PANIC).panic(true).command("/usr/local/bin/dcsc.py")
                .arguments(Arrays.asList("-r", "261070", "")).traceback(Arrays.asList("  File \"x\", line 1\n"))
                .cwd("/var/lib/dqm").time(1428919377.908).usrtime("2015-04-13 12:02:57 CEST").build();

        // when
        LogRecord back = roundTrip(r);

        // then
        assertThat(back).isEqualTo(r);
    }

    @Test
    void writesTheContractsFieldNamesAndFormsOnOneLine() {
        // given
        LogRecord r = full().type(LogRecord.TYPE_PANIC).panic(true).time(1428919377.908).build();

        // when
        String json = RecordCodec.encodeToString(r);

        // then
        assertThat(json).startsWith("{\"id\":\"k3q7vz0m2h5c-42\",\"type\":\"Panic\",\"ts\":\"2026-11-26T23:59:59.123456Z\","
                + "\"rts\":\"2026-11-27T00:00:00.000001Z\",\"host\":\"lxplus901\",\"app\":\"dcsc\",\"pid\":4242,"
                + "\"level\":\"WARN\",\"logger\":\"org.dq.Calc\",\"thread\":\"main\",\"message\":\"hello\","
                + "\"mdc\":{\"run\":\"261070\",\"user\":\"atlasdqm\"},"
                + "\"exception\":{\"class\":\"java.io.IOException\",\"message\":\"disk\",\"stack\":");
        assertThat(json).contains("\"panic\":true,\"msg\":\"hello\",\"arguments\":[],\"traceback\":[],\"time\":1428919377.908}");
        assertThat(json).doesNotContain("\n", "\r", "truncated");
        assertThat(RecordCodec.encode(r)).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesOnlyTheFieldsThatAreSet() {
        // given
        LogRecord r = LogRecord.builder().message("m").build();

        // when
        String json = RecordCodec.encodeToString(r);

        // then
        assertThat(json).isEqualTo("{\"type\":\"Log\",\"message\":\"m\"}");
    }

    @Test
    void roundTripsARecordWithNoOptionalFields() throws Exception {
        // given
        LogRecord r = LogRecord.builder().build();

        // when
        LogRecord back = roundTrip(r);

        // then
        assertThat(back).isEqualTo(r);
        assertThat(back.id()).isNull();
        assertThat(back.ts()).isNull();
        assertThat(back.message()).isNull();
        assertThat(back.mdc()).isEmpty();
        assertThat(back.arguments()).isEmpty();
        assertThat(back.panic()).isFalse();
    }

    @Test
    void keepsAnEmptyMessageApartFromNone() throws Exception {
        // given
        LogRecord r = full().message("").build();

        // when
        LogRecord back = roundTrip(r);

        // then
        assertThat(back.message()).isEmpty();
        assertThat(back).isEqualTo(r);
    }

    @Test
    void roundTripsUnicodeFromEveryPlane() throws Exception {
        // given: astral emoji, CJK, right-to-left Hebrew and Arabic with a direction mark, combining marks
        String text = "ok \uD83D\uDE00\uD83D\uDC4D 日本語 中文 한국어 שלום עולם مرحبا \u200F e\u0301 \uD834\uDD1E";
        LogRecord r = full().message(text).logger(text).thread(text).putMdc(text, text)
                .exception(new ExceptionInfo("E", text, text)).build();

        // when
        byte[] json = RecordCodec.encode(r);
        LogRecord back = RecordCodec.decode(json);

        // then
        assertThat(back).isEqualTo(r);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("日本語", "שלום");
    }

    @Test
    void encodesABrokenSurrogatePairInsteadOfFailing() throws Exception {
        // given: a message cut in the middle of an emoji, as a size limit might cut it
        String cut = "x\uD83D";
        LogRecord r = full().message(cut).putMdc("k", "\uDE00y").build();

        // when
        LogRecord back = roundTrip(r);

        // then
        assertThat(back.message()).isEqualTo(cut);
        assertThat(back.mdc()).containsEntry("k", "\uDE00y");
    }

    @Test
    void escapesEveryControlCharacterAndLineSeparatorSoTheBodyStaysOneLine() throws Exception {
        // given
        StringBuilder s = new StringBuilder("a");
        for (char c = 0; c < 0x20; c++) {
            s.append(c);
        }
        s.append('\u007F').append('\u0085').append('\u009B').append('\u2028').append('\u2029').append('z');
        String controls = s.toString();
        LogRecord r = full().message(controls).logger(controls).putMdc(controls, controls)
                .exception(new ExceptionInfo(controls, controls, controls)).build();

        // when
        byte[] json = RecordCodec.encode(r);

        // then
        for (byte b : json) {
            assertThat(b & 0xFF).as("raw byte in the body").isGreaterThanOrEqualTo(0x20).isNotEqualTo(0x7F);
        }
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\u0085", "\u009B", "\u2028", "\u2029").contains("\\u2028", "\\u0000");
        assertThat(text.split("\\R", -1)).hasSize(1);
        assertThat(RecordCodec.decode(json)).isEqualTo(r);
    }

    @Test
    void roundTripsATenMegabyteMessage() throws Exception {
        // given
        char[] big = new char[10 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (char) ('a' + i % 26);
        }
        big[big.length / 2] = '\n';
        big[big.length - 1] = '\u00e9';
        LogRecord r = full().message(new String(big)).build();

        // when
        byte[] json = RecordCodec.encode(r);
        LogRecord back = RecordCodec.decode(json);

        // then
        assertThat(json.length).isGreaterThan(10 * 1024 * 1024);
        assertThat(back.message()).isEqualTo(r.message());
    }

    @Test
    void roundTripsAnExceptionWithACauseChain200Deep() throws Exception {
        // given
        Throwable t = new IllegalStateException("root cause");
        for (int i = 1; i < 200; i++) {
            t = new RuntimeException("wrapper " + i, t);
        }
        ExceptionInfo info = ExceptionInfo.of(t);
        LogRecord r = full().exception(info).build();

        // when
        LogRecord back = roundTrip(r);

        // then
        assertThat(back.exception()).isEqualTo(info);
        assertThat(back.exception().className()).isEqualTo("java.lang.RuntimeException");
        assertThat(back.exception().message()).isEqualTo("wrapper 199");
        assertThat(back.exception().stackTrace().split("Caused by: ", -1)).hasSize(200);
        assertThat(back.exception().stackTrace()).contains("Caused by: java.lang.IllegalStateException: root cause");
    }

    @Test
    void keepsMicrosecondsAndCutsFinerDigits() throws Exception {
        // given
        LogRecord micro = full().ts(Instant.parse("2026-01-02T03:04:05.000001Z")).build();
        LogRecord nano = full().ts(Instant.parse("2026-01-02T03:04:05.999999999Z")).build();
        LogRecord whole = full().ts(Instant.parse("1999-12-31T23:59:59Z")).build();

        // when / then
        assertThat(roundTrip(micro).ts()).isEqualTo(micro.ts());
        assertThat(RecordCodec.encodeToString(micro)).contains("\"ts\":\"2026-01-02T03:04:05.000001Z\"");
        assertThat(roundTrip(nano).ts()).isEqualTo(Instant.parse("2026-01-02T03:04:05.999999Z"));
        assertThat(RecordCodec.encodeToString(whole)).contains("\"ts\":\"1999-12-31T23:59:59.000000Z\"");
        assertThat(roundTrip(whole).ts()).isEqualTo(whole.ts());
    }

    @Test
    void ignoresUnknownFieldsOfEveryJsonType() throws Exception {
        // given
        String json = "{\"zfirst\":{\"a\":[1,{\"b\":null}]},\"id\":\"p-1\",\"s\":\"x\",\"i\":-12,\"big\":123456789012345678901234567890,"
                + "\"f\":1.5e300,\"t\":true,\"fa\":false,\"n\":null,\"arr\":[[],{},\"\",0],\"obj\":{},\"host\":\"h\","
                + "\"exception\":{\"class\":\"E\",\"frames\":[{\"line\":1}],\"stack\":\"s\",\"extra\":null},"
                + "\"message\":\"m\",\"zlast\":[{\"deep\":{\"deeper\":[true]}}]}";

        // when
        LogRecord r = RecordCodec.decode(json);

        // then
        assertThat(r).isEqualTo(LogRecord.builder().id("p-1").host("h").message("m")
                .exception(new ExceptionInfo("E", null, "s")).build());
    }

    @Test
    void readsWhatOtherProducersWrite() throws Exception {
        // given: pid and time as strings, a Python level name, ts with an offset and few digits
        String json = "{\"pid\":\"4242\",\"time\":\"1428919377.908\",\"level\":\"warning\","
                + "\"ts\":\"2015-04-13T12:02:57.9+02:00\",\"rts\":\"2015-04-13 10:02:58.123456789Z\","
                + "\"msg\":\"from msg\",\"traceback\":\"Traceback (most recent call last):\\n\",\"mdc\":{\"n\":7,\"o\":{\"a\":[1]},\"z\":null}}";

        // when
        LogRecord r = RecordCodec.decode(json);

        // then
        assertThat(r.pid()).isEqualTo(4242L);
        assertThat(r.time()).isEqualTo(1428919377.908);
        assertThat(r.level()).isEqualTo(Level.WARN);
        assertThat(r.ts()).isEqualTo(Instant.parse("2015-04-13T10:02:57.900Z"));
        assertThat(r.rts()).isEqualTo(Instant.parse("2015-04-13T10:02:58.123456Z"));
        assertThat(r.message()).isEqualTo("from msg");
        assertThat(r.traceback()).containsExactly("Traceback (most recent call last):\n");
        assertThat(r.mdc()).containsEntry("n", "7").containsEntry("o", "{\"a\":[1]}").containsEntry("z", null);
    }

    @Test
    void readsCriticalAsFatalAndPrefersMessageOverMsg() throws Exception {
        // when
        LogRecord r = RecordCodec.decode("{\"level\":\"CRITICAL\",\"msg\":\"python\",\"message\":\"own\",\"pid\":7.0}");

        // then
        assertThat(r.level()).isEqualTo(Level.FATAL);
        assertThat(r.message()).isEqualTo("own");
        assertThat(r.pid()).isEqualTo(7L);
    }

    @Test
    void readsTimeAsANumberOrAStringAndDropsNonFiniteTimes() throws Exception {
        assertThat(RecordCodec.decode("{\"time\":1428919377}").time()).isEqualTo(1428919377.0);
        assertThat(RecordCodec.decode("{\"time\":\" 1.5 \"}").time()).isEqualTo(1.5);
        assertThat(RecordCodec.decode("{\"time\":NaN}").time()).isNull();
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("", "empty body"),
                Arguments.of("   ", "empty body"),
                Arguments.of("hello", "not valid JSON"),
                Arguments.of("[{\"id\":\"a\"}]", "not a JSON object: the body is an array"),
                Arguments.of("\"just a string\"", "not a JSON object: the body is a string"),
                Arguments.of("42", "not a JSON object: the body is a number"),
                Arguments.of("{\"id\":\"a\",\"message\":\"cut he", "truncated JSON"),
                Arguments.of("{\"id\":\"a\"", "truncated JSON"),
                Arguments.of("{\"id\":\"a\"} trailing", "not valid JSON"),
                Arguments.of("{\"id\":\"a\"}{\"id\":\"b\"}", "trailing content after the JSON object"),
                Arguments.of("{'id':'a'}", "not valid JSON"),
                Arguments.of("{\"pid\":{}}", "pid: expected a number, found an object"),
                Arguments.of("{\"pid\":\"four\"}", "pid: 'four' is not a whole number"),
                Arguments.of("{\"pid\":1.5}", "pid: 1.5 is not a whole number"),
                Arguments.of("{\"pid\":99999999999999999999}", "number out of range"),
                Arguments.of("{\"ts\":\"yesterday\"}", "ts: not an ISO-8601 date-time: 'yesterday'"),
                Arguments.of("{\"ts\":\"2026-02-30T00:00:00Z\"}", "ts: not an ISO-8601 date-time"),
                Arguments.of("{\"ts\":1428919377}", "ts: expected an ISO-8601 date-time string, found a number"),
                Arguments.of("{\"rts\":[]}", "rts: expected an ISO-8601 date-time string, found an array"),
                Arguments.of("{\"message\":{\"text\":\"x\"}}", "message: expected a string, found an object"),
                Arguments.of("{\"host\":[\"a\"]}", "host: expected a string, found an array"),
                Arguments.of("{\"mdc\":\"k=v\"}", "mdc: expected an object, found a string"),
                Arguments.of("{\"exception\":\"boom\"}", "exception: expected an object {class, message, stack}, found a string"),
                Arguments.of("{\"exception\":{\"class\":[]}}", "exception.class: expected a string, found an array"),
                Arguments.of("{\"panic\":\"yes\"}", "panic: 'yes' is not true or false"),
                Arguments.of("{\"truncated\":1}", "truncated: expected true or false, found a number"),
                Arguments.of("{\"arguments\":{}}", "arguments: expected a list of strings, found an object"),
                Arguments.of("{\"arguments\":[\"a\",null]}", "arguments[1]: expected a string, found null"),
                Arguments.of("{\"traceback\":[[\"nested\"]]}", "traceback[0]: expected a string, found an array"),
                Arguments.of("{\"time\":\"noon\"}", "time: 'noon' is not a number of epoch seconds"),
                Arguments.of("{\"time\":true}", "time: expected a number of epoch seconds, found a boolean"),
                Arguments.of("{\"level\":\"NOTICE\"}", "level: 'NOTICE' is not a level"),
                Arguments.of("{\"level\":{}}", "level: expected a string, found an object"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedBodies")
    void rejectsAMalformedBodyWithAClearReason(String body, String reason) {
        assertThatThrownBy(() -> RecordCodec.decode(body))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        // given
        byte[] latin1 = "{\"message\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        // when / then
        assertThatThrownBy(() -> RecordCodec.decode(latin1))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{}"})
    void readsNullsAndEmptyObjectsAsAbsent(String value) throws Exception {
        // when
        LogRecord r = RecordCodec.decode("{\"id\":null,\"mdc\":" + value + ",\"arguments\":null,\"panic\":null}");

        // then
        assertThat(r.id()).isNull();
        assertThat(r.mdc()).isEmpty();
        assertThat(r.arguments()).isEmpty();
        assertThat(r.panic()).isFalse();
    }

    @Test
    void decodesTheSameFromStringAndBytes() throws Exception {
        // given
        LogRecord r = full().message("\uD83D\uDE00 ü").build();
        String json = RecordCodec.encodeToString(r);

        // when / then
        assertThat(RecordCodec.decode(json)).isEqualTo(RecordCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPanicAlwaysCarriesBothListsEvenWhenEmpty() {
        // given
        LogRecord panic = LogRecord.builder().panic(true).arguments(Collections.<String>emptyList()).build();
        LogRecord log = LogRecord.builder().build();

        // when / then
        assertThat(RecordCodec.encodeToString(panic)).contains("\"arguments\":[]", "\"traceback\":[]");
        assertThat(RecordCodec.encodeToString(log)).doesNotContain("arguments", "traceback", "msg");
    }

    @Test
    void writesTimeInPlainDecimalNotation() {
        // when
        List<String> times = Arrays.asList(
                RecordCodec.encodeToString(LogRecord.builder().time(1.0E10).build()),
                RecordCodec.encodeToString(LogRecord.builder().time(1428919377.908).build()));

        // then: no exponent, the digits Python wrote
        assertThat(times.get(0)).contains("\"time\":10000000000}");
        assertThat(times.get(1)).contains("\"time\":1428919377.908}");
    }
}
