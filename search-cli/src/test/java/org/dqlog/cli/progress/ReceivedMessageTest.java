package org.dqlog.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What CMD sees of a message (environment) and what listen prints without CMD (JSON line). */
class ReceivedMessageTest {

    private static ReceivedMessage message(String body, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new ReceivedMessage("id-1", "tcp://mq1:61613", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headersBecomeDqlogVariablesButNeverOverrideDqlogsOwnSettings() {
        ReceivedMessage m = message("{}", "MsgType", "RunEnd", "message-id", "ID:mq1-1:1", "app", "evil",
                "brokers", "tcp://attacker:61613", "passcode_file", "/etc/shadow", "run", "261222");

        Map<String, String> vars = m.variables();

        assertThat(vars).containsEntry("DQLOG_MSGTYPE", "RunEnd").containsEntry("DQLOG_MESSAGE_ID", "ID:mq1-1:1")
                .containsEntry("DQLOG_RUN", "261222").containsEntry("DQLOG_HEADER_APP", "evil")
                .containsEntry("DQLOG_HEADER_BROKERS", "tcp://attacker:61613")
                .containsEntry("DQLOG_HEADER_PASSCODE_FILE", "/etc/shadow")
                .containsEntry("DQLOG_BROKER", "tcp://mq1:61613").containsEntry("DQLOG_ID", "id-1")
                .doesNotContainKeys("DQLOG_APP", "DQLOG_BROKERS", "DQLOG_PASSCODE_FILE");
    }

    @Test
    void aJsonBodyIsEmbeddedOnOneLineAndAnyOtherBodyIsAString() {
        String json = message("{\"run\": 261222,\n \"runinfo\": {\"lb\": 21}}\n", "MsgType", "RunEnd").jsonLine();
        String text = message("run 261222 done\n", "MsgType", "RunEnd").jsonLine();

        assertThat(json).doesNotContain("\n")
                .isEqualTo("{\"id\":\"id-1\",\"broker\":\"tcp://mq1:61613\",\"headers\":{\"MsgType\":\"RunEnd\"},"
                        + "\"body\":{\"run\": 261222,  \"runinfo\": {\"lb\": 21}}}");
        assertThat(text).endsWith("\"body\":\"run 261222 done\\n\"}");
    }
}
