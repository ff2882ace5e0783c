package org.dqlog.collector;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;

/** Batch messages ({@code MsgType:LogBatch}) as a producer sends them: one JSON record per line. */
final class Batches {

    private Batches() { }

    /** The body: each record's JSON on a line of its own, each line ended by LF. */
    static byte[] body(List<LogRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LogRecord r : records) {
            out.writeBytes(RecordCodec.encode(r));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The body of {@code records} with {@code badLine} put in as line {@code lineNumber} (1 is the first). */
    static byte[] bodyWithLine(List<LogRecord> records, int lineNumber, String badLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i <= records.size(); i++) {
            if (i == lineNumber - 1) {
                out.writeBytes(badLine.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write('\n');
            }
            if (i < records.size()) {
                out.writeBytes(RecordCodec.encode(records.get(i)));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** The headers of a batch of {@code records}: host and app of the first, the highest level. */
    static Map<String, String> headers(List<LogRecord> records) {
        Level highest = Level.TRACE;
        for (LogRecord r : records) {
            if (r.level() != null && r.level().compareTo(highest) > 0) {
                highest = r.level();
            }
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("MsgClass", "DQ");
        h.put("MsgType", DeliveryDecoder.TYPE_LOG_BATCH);
        h.put("persistent", "true");
        h.put("content-type", "application/json");
        h.put("amq-msg-type", "text");
        h.put("host", records.get(0).host());
        h.put("app", records.get(0).app());
        h.put("level", highest.name());
        return h;
    }
}
