package org.dqlog.collector.mail;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;

/** Panic records as the collector hands them to the notifier. */
final class Panics {

    private static final AtomicLong SEQ = new AtomicLong();

    private Panics() {
    }

    /** A panic from a Java appender. */
    static LogRecord java(String host, String app, String message) {
        return LogRecord.builder()
                .id("test-" + SEQ.incrementAndGet())
                .type(LogRecord.TYPE_PANIC).panic(true)
                .ts(Instant.parse("2026-01-05T10:15:30.123456Z"))
                .host(host).app(app).pid(4242L).level(Level.FATAL)
                .logger("org.example.Reconstruction").thread("main")
                .message(message)
                .putMdc("run", "261070").putMdc("stream", "physics_Main")
                .exception(new ExceptionInfo("java.lang.IllegalStateException", "tape robot stuck",
                        "java.lang.IllegalStateException: tape robot stuck\n\tat org.example.Robot.load(Robot.java:42)\n"))
                .build();
    }

    /**
     * The panic of ../shared/fixtures/panic-python.stomp.json as the collector decodes it: no id of
     * its own (the broker's message-id stands in), host unknown-host, ts from time, msg as message.
     */
    static LogRecord python() {
        return LogRecord.builder()
                .id("ID:broker-1-1428919377908-1:1:1:1:1")
                .type(LogRecord.TYPE_PANIC).panic(true)
                .host("unknown-host")
                .ts(Instant.parse("2015-04-13T10:02:57.908Z"))
                .message("DCS Calculator failed to execute in run 261070 for system Pixel")
                .command("/usr/local/bin/dcsc.py")
                .arguments(List.of("-r", "261070", "--email-on-failure"))
                .traceback(List.of(
                        "  File \"/usr/local/bin/dcsc.py\", line 12, in <module>\n    main()\n",
                        "  File \"/usr/lib/python3/dist-packages/DCSCalculator2/main.py\", line 480, in main\n    panic(msg)\n"))
                .cwd("/var/lib/dqm")
                .time(1428919377.908)
                .usrtime("2015-04-13 12:02:57 CEST")
                .build();
    }
}
