package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.config.ClientSettings;
import org.junit.jupiter.api.Test;

class PanicDecorationTest {

    private final RecordFactory factory = new RecordFactory("lxplus901", "dcs", Level.ERROR);
    private final PanicDecoration decoration = new PanicDecoration(new AppenderSettings(ClientSettings.of(Map.of(), Map.of())));

    @Test
    void aPanicGetsTheProcessFactsAndKeepsTheCallStackItsThreadCaptured() {
        // given: a panic without exception, captured on the logging thread
        LogRecord captured = factory.create(Instant.parse("2026-11-26T23:59:59.123456Z"), Level.ERROR, "x", "main",
                "bad", Map.of(), null, false, true);

        // when: the sender decorates it
        LogRecord panic = decoration.apply(captured);

        // then
        assertThat(panic.command()).isEqualTo(decoration.fields().command());
        assertThat(panic.cwd()).isEqualTo(decoration.fields().cwd());
        assertThat(panic.time()).isEqualTo(1795737599.123456);
        assertThat(panic.usrtime()).isNotBlank();
        assertThat(panic.traceback()).isEqualTo(captured.traceback())
                .anySatisfy(line -> assertThat(line).contains("aPanicGetsTheProcessFacts"));
    }

    @Test
    void aPanicWithAnExceptionTakesItsTracebackFromTheExceptionAndAPlainRecordStaysAsItIs() {
        // given
        LogRecord withException = factory.create(Instant.now(), Level.FATAL, "x", "main", "bad", Map.of(),
                ExceptionInfo.of(new IllegalStateException("boom")), false, true);
        LogRecord plain = factory.create(Instant.now(), Level.INFO, "x", "main", "fine", Map.of(), null, false, true);

        // when / then
        assertThat(decoration.apply(withException).traceback().get(0)).contains("IllegalStateException: boom");
        assertThat(decoration.apply(plain)).isSameAs(plain);
    }
}
