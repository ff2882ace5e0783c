package org.dqlog.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;

/** Test records. */
public final class Records {
    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000001Z");

    private Records() { }

    public static LogRecord record(String id, String host) {
        return LogRecord.builder().id(id).ts(T0).rts(T0).host(host).app("webdisplay").pid(4242L)
                .level(Level.INFO).logger("org.dq.Web").thread("main").message("message of " + id).build();
    }

    public static List<LogRecord> batch(String prefix, int from, int count, String... hosts) {
        List<LogRecord> list = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            list.add(record(prefix + i, hosts[i % hosts.length]));
        }
        return list;
    }
}
