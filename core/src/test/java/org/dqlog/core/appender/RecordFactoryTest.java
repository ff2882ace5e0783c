package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.junit.jupiter.api.Test;

class RecordFactoryTest {

    private final RecordFactory factory = new RecordFactory("lxplus901", "dcs", Level.ERROR);

    @Test
    void aRecordBelowThePanicLevelIsAPlainLogRecordCutToMicrosecondsWithoutIdOrPid() {
        // when
        LogRecord r = factory.create(Instant.parse("2026-11-26T23:59:59.123456789Z"), Level.WARN, "org.dq.X", "main",
                "careful", Map.of("run", "1"), null, false, true);

        // then
        assertThat(r.id()).as("the sender gives the id, off the application thread").isNull();
        assertThat(r.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(r.ts()).isEqualTo(Instant.parse("2026-11-26T23:59:59.123456Z"));
        assertThat(r.host()).isEqualTo("lxplus901");
        assertThat(r.app()).isEqualTo("dcs");
        assertThat(r.pid()).as("the sender fills it in").isNull();
        assertThat(r.mdc()).containsExactly(Map.entry("run", "1"));
        assertThat(r.panic()).isFalse();
        assertThat(r.command()).isNull();
    }

    @Test
    void theLevelOrAPanicMarkerRaisesAPanicThatKeepsTypeLog() {
        // when
        LogRecord error = factory.create(Instant.now(), Level.ERROR, "x", "main", "bad", Map.of(), null, false, true);
        LogRecord marked = factory.create(Instant.now(), Level.DEBUG, "x", "main", "page me", Map.of(), null, true, false);

        // then
        assertThat(error.panic()).isTrue();
        assertThat(error.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(error.command()).as("the panic fields are added on the sender's side").isNull();
        assertThat(error.traceback()).as("the call stack of this thread")
                .anySatisfy(line -> assertThat(line).contains("theLevelOrAPanicMarkerRaisesAPanic"));
        assertThat(marked.panic()).isTrue();
        assertThat(marked.traceback()).as("another thread's stack would mislead").isEmpty();
    }
}
