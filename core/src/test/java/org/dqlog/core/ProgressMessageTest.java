package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressMessageTest {

    @Test
    void decodesARunEndFromTheWireKeepingTheBodyAsSent() throws Exception {
        // given
        WireFixtures.Message wire = WireFixtures.load(WireFixtures.PROGRESS_RUN_END);

        // when
        ProgressMessage m = ProgressMessage.fromMessage(wire.headers, wire.body);

        // then
        assertThat(m.type()).isEqualTo(ProgressMessage.TYPE_RUN_END);
        assertThat(m.bodyBytes()).isEqualTo(wire.body);
        assertThat(m.field("run")).isEqualTo("261222");
        assertThat(m.field("runinfo")).contains("\"run_type\":\"LEDandLumat\"", "\"sol_current\":7730.00732421875");
        assertThat(m.field("absent")).isNull();
        // the broker's and the contract's headers are not the producer's own
        assertThat(m.headers()).containsExactly(Map.entry("type", "textMessage"));
    }

    @Test
    void decodesAWebDisplayIncremental() throws Exception {
        // given
        WireFixtures.Message wire = WireFixtures.load(WireFixtures.PROGRESS_WEB_DISPLAY);

        // when
        ProgressMessage m = ProgressMessage.fromMessage(wire.headers, wire.body);

        // then
        assertThat(m.type()).isEqualTo(ProgressMessage.TYPE_WEB_DISPLAY_INCREMENTAL);
        assertThat(m.field("stream")).isEqualTo("physics_MinBias");
        assertThat(m.field("pass")).isEqualTo("1");
    }

    @Test
    void roundTripsThroughItsSendHeaders() throws Exception {
        // given
        Map<String, String> own = new LinkedHashMap<>();
        own.put("run", "261222");
        ProgressMessage sent = ProgressMessage.of(ProgressMessage.TYPE_RUN_START, "{\"run\": 261222, \"π\": \"\uD83D\uDE00\"}", own);

        // when
        Map<String, String> headers = new LinkedHashMap<>(sent.sendHeaders());
        headers.put(MessageHeaders.DESTINATION, ProgressMessage.DESTINATION);
        headers.put(MessageHeaders.MESSAGE_ID, "ID:1");
        ProgressMessage received = ProgressMessage.fromMessage(headers, sent.bodyBytes());

        // then
        assertThat(sent.sendHeaders()).containsExactly(
                Map.entry("MsgClass", "DQ"), Map.entry("MsgType", "RunStart"), Map.entry("persistent", "true"),
                Map.entry("content-type", "application/json"), Map.entry("amq-msg-type", "text"),
                Map.entry("run", "261222"));
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void refusesHeadersThatTheContractOrTheBrokerSets() {
        assertThatThrownBy(() -> ProgressMessage.of("RunEnd", "{}", Collections.singletonMap("MsgType", "Log")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MsgType");
        assertThatThrownBy(() -> ProgressMessage.of(" ", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MsgType");
    }

    @Test
    void rejectsAMessageWithoutMsgTypeOrWithABodyThatIsNotUtf8() {
        assertThatThrownBy(() -> ProgressMessage.fromMessage(Collections.emptyMap(), new byte[0]))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("MsgType");
        assertThatThrownBy(() -> ProgressMessage.fromMessage(Collections.singletonMap("MsgType", "RunEnd"),
                new byte[] {'{', (byte) 0xC3, '}'}))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void keepsABodyThatIsNotJsonButRefusesToReadFieldsFromIt() throws Exception {
        // given
        ProgressMessage m = ProgressMessage.fromMessage(Collections.singletonMap("MsgType", "RunEnd"),
                "run 5 ended".getBytes(StandardCharsets.UTF_8));

        // when / then
        assertThat(m.body()).isEqualTo("run 5 ended");
        assertThatThrownBy(() -> m.field("run")).isInstanceOf(MalformedRecordException.class);
    }
}
