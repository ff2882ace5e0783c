package org.dqlog.core.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;

/**
 * Encodes records to their JSON body, no larger than a maximum: an oversize record is not dropped
 * but cut (message, exception message and stack, MDC values, traceback and arguments keep their
 * beginning), marked {@code truncated:true}, and sent like any other. The ids, level, logger and
 * times are never cut, so the record can still be found and deduplicated.
 *
 * <p>Stateless apart from its limit, so thread-safe; called on application threads.
 */
public final class RecordEncoder {

    /** Appended to every text that was cut, for the person reading it. */
    public static final String CUT_MARK = "... [truncated by dqlog]";
    /** Texts this short are never cut; the budget comes out of the long ones. */
    private static final int KEEP_CHARS = 64;
    private static final int SHRINK_ROUNDS = 6;

    private final int maxRecordBytes;

    public RecordEncoder(int maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * The body of {@code record}, at most {@link #maxRecordBytes()} long unless even the record
     * without any message, stack, MDC or traceback is longer (then that smallest form).
     */
    public byte[] encode(LogRecord record) {
        byte[] body = RecordCodec.encode(record);
        if (body.length <= maxRecordBytes) {
            return body;
        }
        // Each round shrinks the long texts by the size ratio still to go, with a margin that grows,
        // because escaping makes bytes per char uneven (a control character takes six).
        double keep = 1.0;
        for (int round = 0; round < SHRINK_ROUNDS; round++) {
            keep *= (double) maxRecordBytes / body.length * (0.95 - 0.1 * round);
            body = RecordCodec.encode(shrink(record, keep));
            if (body.length <= maxRecordBytes) {
                return body;
            }
        }
        return RecordCodec.encode(smallest(record));
    }

    private static LogRecord shrink(LogRecord r, double keep) {
        LogRecord.Builder b = r.toBuilder().truncated(true);
        b.message(cut(r.message(), keep));
        if (r.exception() != null) {
            ExceptionInfo e = r.exception();
            b.exception(new ExceptionInfo(e.className(), cut(e.message(), keep), cut(e.stackTrace(), keep)));
        }
        if (!r.mdc().isEmpty()) {
            Map<String, String> mdc = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : r.mdc().entrySet()) {
                mdc.put(entry.getKey(), cut(entry.getValue(), keep));
            }
            b.mdc(mdc);
        }
        b.traceback(cutList(r.traceback(), keep));
        b.arguments(cutList(r.arguments(), keep));
        return b.build();
    }

    /** Without message text, stack, MDC, traceback and arguments: what identifies the record. */
    private static LogRecord smallest(LogRecord r) {
        LogRecord.Builder b = r.toBuilder().truncated(true).message(cut(r.message(), 0)).mdc(null)
                .traceback(null).arguments(null);
        if (r.exception() != null) {
            b.exception(new ExceptionInfo(r.exception().className(), null, ""));
        }
        return b.build();
    }

    private static List<String> cutList(List<String> items, double keep) {
        if (items.isEmpty()) {
            return items;
        }
        int count = Math.max(1, (int) Math.ceil(items.size() * keep));
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < Math.min(count, items.size()); i++) {
            result.add(cut(items.get(i), keep));
        }
        return result;
    }

    static String cut(String text, double keep) {
        if (text == null || text.length() <= KEEP_CHARS) {
            return text;
        }
        int length = Math.max(KEEP_CHARS, (int) (text.length() * keep));
        if (length >= text.length()) {
            return text;
        }
        if (Character.isHighSurrogate(text.charAt(length - 1))) {
            length--; // never split a surrogate pair: half of one cannot be encoded
        }
        return text.substring(0, length) + CUT_MARK;
    }
}
