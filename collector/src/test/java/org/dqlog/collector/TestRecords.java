package org.dqlog.collector;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;

/** Records as an appender would send them. */
final class TestRecords {

    private TestRecords() { }

    static LogRecord log(String id, String host) {
        return LogRecord.builder().id(id).ts(Instant.now().truncatedTo(ChronoUnit.MICROS)).host(host).app("reco")
                .pid(4242L).level(Level.INFO).logger("org.dq.Reco").thread("main").message("message of " + id).build();
    }

    static List<LogRecord> logs(String prefix, int count, String host) {
        List<LogRecord> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(log(prefix + "-" + i, host));
        }
        return list;
    }

    /** A panic of {@code Panic.panic} or {@code dqlog panic}: travels to both queues. */
    static LogRecord panic(String id, String host, String message) {
        return LogRecord.builder().id(id).ts(Instant.now().truncatedTo(ChronoUnit.MICROS)).host(host).app("dcsc")
                .pid(77L).level(Level.FATAL).message(message).panic(true).command("/usr/local/bin/dcsc")
                .arguments(List.of("-r", "261070")).traceback(List.of("line 1", "line 2")).cwd("/var/lib/dqm").build();
    }

    /** An appender's ERROR record: type Log, a panic, sent to both queues with the same body. */
    static LogRecord errorRecord(String id, String host, String message) {
        return LogRecord.builder().id(id).type(LogRecord.TYPE_LOG).ts(Instant.now().truncatedTo(ChronoUnit.MICROS))
                .host(host).app("webdisplay").pid(4242L).level(Level.ERROR).logger("org.dq.Web").thread("main")
                .message(message).panic(true).build();
    }
}
