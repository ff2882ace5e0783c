package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireMessagesTest {

    private static final String BROKER_MESSAGE_ID = "ID:mb201.cern.ch-28854-1426507888700-1:304485:-1:1:1";

    private static LogRecord errorRecord() {
        return LogRecord.builder().id("k3q7vz0m2h5c-7").ts(Instant.parse("2026-11-26T23:59:59.123456Z"))
                .host("lxplus901").app("dcsc").pid(42L).level(Level.ERROR).logger("org.dq.Calc")
                .thread("main").message("calculation failed").type(LogRecord.TYPE_LOG).panic(true)
                .exception(ExceptionInfo.of(new IllegalStateException("no data"))).build();
    }

    /** The MESSAGE frame's headers a consumer sees for a SEND with {@code sendHeaders}. */
    private static Map<String, String> delivered(Map<String, String> sent, String destination, String messageId) {
        Map<String, String> h = new LinkedHashMap<>(sent);
        h.put(MessageHeaders.DESTINATION, destination);
        h.put(MessageHeaders.MESSAGE_ID, messageId);
        h.put("subscription", "1");
        return h;
    }

    @Test
    void decodesThePythonToolingsPanicExactly() throws Exception {
        // given: the fixture as the broker delivers it, with its message-id
        WireFixtures.Message python = WireFixtures.load(WireFixtures.PANIC_PYTHON);
        Map<String, String> headers = python.headersWith(MessageHeaders.MESSAGE_ID, BROKER_MESSAGE_ID);

        // when
        LogRecord r = WireMessages.fromMessage(headers, python.body);

        // then
        assertThat(r.id()).isEqualTo("msgid:" + BROKER_MESSAGE_ID);
        assertThat(r.type()).isEqualTo(LogRecord.TYPE_PANIC);
        assertThat(r.panic()).isTrue();
        assertThat(r.host()).isEqualTo("unknown-host");
        assertThat(r.ts()).isEqualTo(Instant.parse("2015-04-13T10:02:57.908Z"));
        assertThat(r.level()).isEqualTo(Level.FATAL);
        assertThat(r.message()).isEqualTo("DCS Calculator failed to execute in run 261070 for system Pixel");
        assertThat(r.command()).isEqualTo("/usr/local/bin/dcsc.py");
        assertThat(r.app()).isEqualTo("dcsc.py");
        assertThat(r.arguments()).containsExactly("-r", "261070", "--email-on-failure");
        assertThat(r.traceback()).containsExactly(
                "  File \"/usr/local/bin/dcsc.py\", line 12, in <module>\n    main()\n",
                "  File \"/usr/lib/python3/dist-packages/DCSCalculator2/main.py\", line 480, in main\n    panic(msg)\n");
        assertThat(r.cwd()).isEqualTo("/var/lib/dqm");
        assertThat(r.time()).isEqualTo(1428919377.908);
        assertThat(r.usrtime()).isEqualTo("2015-04-13 12:02:57 CEST");
        assertThat(r.pid()).isNull();
        assertThat(r.logger()).isNull();
        assertThat(r.exception()).isNull();
        assertThat(r.mdc()).isEmpty();
    }

    @Test
    void thePythonPanicSurvivesTheFileRoundTripWithItsIdentity() throws Exception {
        // given
        WireFixtures.Message python = WireFixtures.load(WireFixtures.PANIC_PYTHON);
        LogRecord r = WireMessages.fromMessage(
                python.headersWith(MessageHeaders.MESSAGE_ID, BROKER_MESSAGE_ID), python.body);

        // when
        LogRecord back = RecordCodec.decode(RecordCodec.encode(r));

        // then
        assertThat(back).isEqualTo(r);
        assertThat(RecordCodec.encodeToString(r)).contains("\"msg\":\"DCS Calculator failed");
    }

    @Test
    void identifiesAMessageWithoutIdOrMessageIdByItsBody() throws Exception {
        // given: the Python panic without a message-id header, twice
        WireFixtures.Message python = WireFixtures.load(WireFixtures.PANIC_PYTHON);

        // when
        LogRecord first = WireMessages.fromMessage(python.headers, python.body);
        LogRecord again = WireMessages.fromMessage(python.headers, python.body.clone());
        LogRecord other = WireMessages.fromMessage(python.headers,
                "{\"msg\":\"another\"}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(first.id()).startsWith("sha256:").hasSize("sha256:".length() + 32).isEqualTo(again.id());
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void givesBothCopiesOfAnAppendersErrorRecordTheSameIdentity() throws Exception {
        // given: one body, sent to both queues with each queue's headers
        LogRecord error = errorRecord();
        byte[] body = RecordCodec.encode(error);
        Map<String, String> onLogging = delivered(
                WireMessages.sendHeaders(error, Destinations.LOGGING), Destinations.LOGGING, "ID:a-1");
        Map<String, String> onPanic = delivered(
                WireMessages.sendHeaders(error, Destinations.PANIC), Destinations.PANIC, "ID:b-9");

        // when
        LogRecord fromLogging = WireMessages.fromMessage(onLogging, body);
        LogRecord fromPanic = WireMessages.fromMessage(onPanic, body);

        // then
        assertThat(onLogging).containsEntry(MessageHeaders.MSG_TYPE, "Log");
        assertThat(onPanic).containsEntry(MessageHeaders.MSG_TYPE, "Panic");
        assertThat(fromLogging).isEqualTo(fromPanic).isEqualTo(error);
        assertThat(fromPanic.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(fromPanic.panic()).isTrue();
        assertThat(fromPanic.level()).isEqualTo(Level.ERROR);
    }

    @Test
    void putsTheContractsHeadersOnEverySend() {
        // given
        LogRecord error = errorRecord();

        // when
        Map<String, String> h = WireMessages.sendHeaders(error, Destinations.LOGGING);

        // then
        assertThat(h).containsExactly(
                Map.entry("MsgClass", "DQ"),
                Map.entry("MsgType", "Log"),
                Map.entry("persistent", "true"),
                Map.entry("content-type", "application/json"),
                Map.entry("amq-msg-type", "text"),
                Map.entry("host", "lxplus901"),
                Map.entry("app", "dcsc"),
                Map.entry("level", "ERROR"));
    }

    @Test
    void leavesOutSelectorHeadersARecordHasNoValueFor() {
        // given
        LogRecord bare = LogRecord.builder().type(LogRecord.TYPE_PANIC).message("m").build();

        // when
        Map<String, String> h = WireMessages.sendHeaders(bare, Destinations.PANIC);

        // then
        assertThat(h).containsEntry("MsgType", "Panic").doesNotContainKeys("host", "app", "level");
    }

    @Test
    void sendsEachKindOfRecordToItsQueues() {
        LogRecord log = LogRecord.builder().level(Level.INFO).build();
        LogRecord error = errorRecord();
        LogRecord panic = LogRecord.builder().type(LogRecord.TYPE_PANIC).panic(true).build();

        assertThat(WireMessages.destinationsFor(log)).containsExactly(Destinations.LOGGING);
        assertThat(WireMessages.destinationsFor(error)).containsExactly(Destinations.LOGGING, Destinations.PANIC);
        assertThat(WireMessages.destinationsFor(panic)).containsExactly(Destinations.LOGGING, Destinations.PANIC);
    }

    @Test
    void treatsAMessageFromThePanicQueueAsAPanicEvenWithoutMsgType() throws Exception {
        // given
        Map<String, String> headers = new HashMap<>();
        headers.put(MessageHeaders.DESTINATION, Destinations.PANIC);
        headers.put(MessageHeaders.MESSAGE_ID, "ID:x");

        // when
        LogRecord r = WireMessages.fromMessage(headers, "{\"msg\":\"m\"}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(r.panic()).isTrue();
        assertThat(r.type()).isEqualTo(LogRecord.TYPE_PANIC);
        assertThat(r.level()).isEqualTo(Level.FATAL);
    }

    @Test
    void fillsAPlainRecordWithDefaultsAndTheBrokersTimestamp() throws Exception {
        // given: no id, host, ts, time or level; ActiveMQ's receive time in the headers
        Map<String, String> headers = new HashMap<>();
        headers.put(MessageHeaders.DESTINATION, Destinations.LOGGING);
        headers.put(MessageHeaders.MESSAGE_ID, "ID:y");
        headers.put(MessageHeaders.TIMESTAMP, "1428919377908");

        // when
        LogRecord r = WireMessages.fromMessage(headers, "{\"message\":\"m\",\"host\":\" \"}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(r.id()).isEqualTo("msgid:ID:y");
        assertThat(r.host()).isEqualTo("unknown-host");
        assertThat(r.ts()).isEqualTo(Instant.ofEpochMilli(1428919377908L));
        assertThat(r.level()).isEqualTo(Level.INFO);
        assertThat(r.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(r.panic()).isFalse();
        assertThat(r.app()).isNull();
    }

    @Test
    void leavesTsToTheCollectorWhenNothingTellsTheTime() throws Exception {
        // when
        LogRecord r = WireMessages.fromMessage(Collections.singletonMap(MessageHeaders.MESSAGE_ID, "ID:z"),
                "{\"message\":\"m\",\"time\":NaN}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(r.ts()).isNull();
    }

    @Test
    void keepsEverythingTheBodySays() throws Exception {
        // given: a body with its own id, ts, host, level, type; headers that disagree
        LogRecord own = LogRecord.builder().id("p-1").type("Log").ts(Instant.parse("2026-01-01T00:00:00.000001Z"))
                .host("h").app("a").level(Level.DEBUG).time(1.0).build();
        Map<String, String> headers = new HashMap<>();
        headers.put(MessageHeaders.MSG_TYPE, "Other");
        headers.put(MessageHeaders.MESSAGE_ID, "ID:q");
        headers.put(MessageHeaders.TIMESTAMP, "5");

        // when
        LogRecord r = WireMessages.fromMessage(headers, RecordCodec.encode(own));

        // then
        assertThat(r).isEqualTo(own);
    }

    @Test
    void takesTheTypeFromMsgTypeWhenTheBodyHasNone() throws Exception {
        // when
        LogRecord r = WireMessages.fromMessage(Collections.singletonMap(MessageHeaders.MSG_TYPE, "Heartbeat"),
                "{\"id\":\"i-1\"}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(r.type()).isEqualTo("Heartbeat");
        assertThat(r.panic()).isFalse();
    }

    @Test
    void passesOnAMalformedBody() {
        assertThatThrownBy(() -> WireMessages.fromMessage(Collections.emptyMap(), "[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not a JSON object");
    }
}
