package org.dqlog.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;

/** The records every benchmark sends: what a busy service of the fleet logs most, and an error with its stack. */
public final class SampleRecords {

    private SampleRecords() {
    }

    /** An INFO record with two MDC entries: 396 bytes of JSON. */
    public static LogRecord typical() {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("run", "456789");
        mdc.put("stream", "physics_Main");
        return LogRecord.builder()
                .id("5f1c9a7e2b3d-000000000042")
                .ts(Instant.parse("2026-11-26T23:59:59.123456Z"))
                .host("pc-tier0-01")
                .app("webdisplay")
                .pid(4242L)
                .level(Level.INFO)
                .logger("org.atlas.dqm.web.HistogramService")
                .thread("http-nio-8080-exec-7")
                .message("histogram /SHIFT/InnerDetector/Pixel/hits of run 456789 checked in 12 ms: 3 bins above threshold, status GREEN")
                .mdc(mdc)
                .build();
    }

    /** An ERROR record (a panic) with an exception of 30 frames and a cause of 10: 3,679 bytes of JSON. */
    public static LogRecord withStackTrace() {
        return typical().toBuilder()
                .level(Level.ERROR)
                .panic(true)
                .message("cannot write the result of run 456789 to /data/dqm/results/456789.root")
                .exception(ExceptionInfo.of(deepException()))
                .build();
    }

    /** A record of {@code bodyBytes} bytes of JSON (at least its fields without message): the typical one, its message cut or padded. */
    public static LogRecord ofSize(int bodyBytes, String id) {
        LogRecord empty = typical().toBuilder().id(id).message("").build();
        int room = Math.max(0, bodyBytes - org.dqlog.core.RecordCodec.encode(empty).length);
        String text = typical().message();
        StringBuilder message = new StringBuilder(room);
        while (message.length() < room) {
            message.append(text, 0, Math.min(text.length(), room - message.length()));
            if (message.length() < room) {
                message.append(' ');
            }
        }
        return empty.toBuilder().message(message.toString()).build();
    }

    /**
     * An IllegalStateException with 30 frames caused by an IOException with 10: fixed frames, so
     * that the record is the same wherever it is built (JMH's harness would add its own frames).
     */
    private static Throwable deepException() {
        java.io.IOException cause = new java.io.IOException("No space left on device");
        cause.setStackTrace(frames("sun.nio.ch.FileDispatcherImpl", 10));
        IllegalStateException e = new IllegalStateException("result file not written", cause);
        e.setStackTrace(frames("org.atlas.dqm.results.ResultWriter", 30));
        return e;
    }

    private static StackTraceElement[] frames(String className, int count) {
        StackTraceElement[] frames = new StackTraceElement[count];
        for (int i = 0; i < count; i++) {
            frames[i] = new StackTraceElement(className + (i == 0 ? "" : "$Step" + i), i == 0 ? "write" : "run",
                    className.substring(className.lastIndexOf('.') + 1) + ".java", 100 + i);
        }
        return frames;
    }
}
