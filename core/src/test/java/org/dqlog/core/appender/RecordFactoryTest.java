package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.PanicFields;
import org.dqlog.core.RecordIds;
import org.junit.jupiter.api.Test;

class RecordFactoryTest {

    private final RecordIds ids = new RecordIds("testinstance");
    private final RecordFactory factory = new RecordFactory(ids::next, "lxplus901", "dcs", 4242, Level.ERROR,
            new PanicFields("dcs.jar", List.of(), "/var/dq", ZoneOffset.UTC));

    @Test
    void aRecordBelowThePanicLevelIsAPlainLogRecordCutToMicroseconds() {
        // when
        LogRecord r = factory.create(Instant.parse("2026-11-26T23:59:59.123456789Z"), Level.WARN, "org.dq.X", "main",
                "careful", Map.of("run", "1"), null, false, true);

        // then
        assertThat(r.id()).isEqualTo("testinstance-1");
        assertThat(r.type()).isEqualTo(LogRecord.TYPE_LOG);
        assertThat(r.ts()).isEqualTo(Instant.parse("2026-11-26T23:59:59.123456Z"));
        assertThat(r.host()).isEqualTo("lxplus901");
        assertThat(r.app()).isEqualTo("dcs");
        assertThat(r.pid()).isEqualTo(4242L);
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
        assertThat(error.command()).isEqualTo("dcs.jar");
        assertThat(error.traceback()).as("the call stack of this thread")
                .anySatisfy(line -> assertThat(line).contains("theLevelOrAPanicMarkerRaisesAPanic"));
        assertThat(marked.panic()).isTrue();
        assertThat(marked.traceback()).as("another thread's stack would mislead").isEmpty();
    }
}
