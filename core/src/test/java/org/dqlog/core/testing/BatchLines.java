package org.dqlog.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.WireMessages;
import org.dqlog.core.publish.MessageFactory;

/**
 * A raw STOMP consumer's reading of a logging message for tests: a {@code MsgType:LogBatch}
 * message is split into its JSON lines, each decoded like a single record; anything else is one
 * record. (The collector's own batch reading is the collector's business.)
 */
public final class BatchLines {

    private BatchLines() { }

    /** True if the message is a batch. */
    public static boolean isBatch(Map<String, String> headers) {
        return MessageFactory.LOG_BATCH.equals(headers.get(MessageHeaders.MSG_TYPE));
    }

    /** The records of one message, in order. */
    public static List<LogRecord> records(Map<String, String> headers, byte[] body) throws MalformedRecordException {
        if (!isBatch(headers)) {
            return List.of(WireMessages.fromMessage(headers, body));
        }
        Map<String, String> single = new LinkedHashMap<>(headers);
        single.put(MessageHeaders.MSG_TYPE, LogRecord.TYPE_LOG);
        List<LogRecord> records = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (i > start) {
                    records.add(WireMessages.fromMessage(single, Arrays.copyOfRange(body, start, i)));
                }
                start = i + 1;
            }
        }
        if (body.length > 0 && body[body.length - 1] != '\n') {
            throw new MalformedRecordException("batch body does not end in a line break: "
                    + new String(body, Math.max(0, body.length - 40), Math.min(40, body.length), StandardCharsets.UTF_8));
        }
        return records;
    }
}
