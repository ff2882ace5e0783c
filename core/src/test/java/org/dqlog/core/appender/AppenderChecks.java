package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.ProcessInfo;

/**
 * Test helper: what every appender's records must look like on the wire, checked the same way
 * for Log4j 2, Logback and the end-to-end suite (it/).
 */
public final class AppenderChecks {

    private AppenderChecks() { }

    /** The fields every record of an appender in this JVM carries. */
    public static void assertProducedHere(LogRecord r, String app, Level level, String logger, String thread) {
        assertThat(r.id()).as("id").matches("[0-9a-z]{12}-\\d+");
        assertThat(r.type()).as("type").isEqualTo(LogRecord.TYPE_LOG);
        assertThat(r.ts()).as("ts").isNotNull().isBetween(Instant.now().minus(10, ChronoUnit.MINUTES), Instant.now());
        assertThat(r.ts().getNano() % 1000).as("ts is cut to microseconds").isZero();
        assertThat(r.host()).as("host").isEqualTo(ProcessInfo.hostName());
        assertThat(r.app()).as("app").isEqualTo(app);
        assertThat(r.pid()).as("pid").isEqualTo(ProcessInfo.pid());
        assertThat(r.level()).as("level").isEqualTo(level);
        assertThat(r.logger()).as("logger").isEqualTo(logger);
        assertThat(r.thread()).as("thread").isEqualTo(thread);
    }

    /** The panic queue's copy: same record, MsgType Panic, and the panic fields filled. */
    public static void assertPanicCopy(CentralLogRecorder central, LogRecord logged) {
        LogRecord panic = central.panic().get(logged.id());
        assertThat(panic).as("panic copy of " + logged).isNotNull();
        assertThat(panic).isEqualTo(logged);
        assertThat(logged.panic()).isTrue();
        Map<String, String> headers = central.panicHeaders(logged.id());
        assertThat(headers).containsEntry(MessageHeaders.MSG_TYPE, LogRecord.TYPE_PANIC)
                .containsEntry(MessageHeaders.MSG_CLASS, MessageHeaders.MSG_CLASS_DQ);
        assertThat(logged.command()).as("command").isNotBlank();
        assertThat(logged.cwd()).as("cwd").isEqualTo(ProcessInfo.workingDirectory());
        assertThat(logged.traceback()).as("traceback").isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("\n"));
        assertThat(logged.time()).as("time").isCloseTo(logged.ts().getEpochSecond() + logged.ts().getNano() / 1e9,
                org.assertj.core.data.Offset.offset(1e-3));
        assertThat(logged.usrtime()).as("usrtime").isNotBlank();
    }

    /** The records with these messages arrived and raised no panic. */
    public static void assertNoPanics(CentralLogRecorder central, String... messages) {
        for (String message : messages) {
            assertNoPanic(central, central.awaitMessage(message));
        }
    }

    /** A record that raised no panic: nothing on the panic queue, no panic fields. */
    public static void assertNoPanic(CentralLogRecorder central, LogRecord logged) {
        assertThat(logged.panic()).as("panic flag of " + logged).isFalse();
        assertThat(logged.traceback()).isEmpty();
        assertThat(central.panic()).doesNotContainKey(logged.id());
    }
}
