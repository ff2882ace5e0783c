package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.spool.SpoolEntry;
import org.junit.jupiter.api.Test;

class RecordCaptureTest {

    private final SenderConfig config = SenderConfig.builder().brokers("tcp://127.0.0.1:61613").app("capture")
            .host("lxplus901").build();

    @Test
    void captureNeitherEncodesNorNumbersAndTheFirstReaderEncodesOnceOnItsOwnThread() throws Exception {
        // given
        AtomicInteger decorations = new AtomicInteger();
        AtomicReference<String> decoratedOn = new AtomicReference<>();
        RecordCapture capture = new RecordCapture(config, new RecordEncoder(1 << 20), r -> {
            decorations.incrementAndGet();
            decoratedOn.set(Thread.currentThread().getName());
            return r.toBuilder().cwd("/decorated").build();
        }, Status.SILENT);
        LogRecord error = LogRecord.builder().level(Level.ERROR).logger("org.dq.X").thread("main").message("failed")
                .mdc(Map.of("run", "261070")).exception(ExceptionInfo.of(new IllegalStateException("boom"))).build();

        // when
        SpoolEntry entry = capture.capture(error);

        // then: nothing encoded yet, counted by an estimate of what it holds
        assertThat(entry.isEncoded()).isFalse();
        assertThat(decorations).hasValue(0);
        assertThat(entry.level()).isEqualTo(Level.ERROR);
        assertThat(entry.memoryBytes()).isGreaterThan(RecordCapture.RECORD_OVERHEAD_BYTES
                + error.exception().className().length());

        // when: a sender-side thread reads it
        Thread reader = new Thread(entry::id, "dqlog-spool-capture");
        reader.start();
        join(reader);

        // then: completed, decorated and encoded there, once; the same bytes for every later reader
        assertThat(entry.isEncoded()).isTrue();
        assertThat(decoratedOn).hasValue("dqlog-spool-capture");
        LogRecord sent = RecordCodec.decode(entry.copyOfBody());
        assertThat(sent.id()).isEqualTo(entry.id()).startsWith(capture.ids().instanceId());
        assertThat(sent.host()).isEqualTo("lxplus901");
        assertThat(sent.app()).isEqualTo("capture");
        assertThat(sent.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(sent.ts()).isNotNull();
        assertThat(sent.cwd()).isEqualTo("/decorated");
        assertThat(sent.exception().stackTrace()).contains("boom").contains("RecordCaptureTest");
        assertThat(entry.bodyAsString()).isEqualTo(new String(entry.copyOfBody(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(decorations).hasValue(1);
    }

    @Test
    void aRecordThatCannotBeEncodedTravelsAsANoteWithItsIdLevelAndLogger() throws Exception {
        // given: a decoration that fails (a bug), which must not stop the sender
        RecordCapture capture = new RecordCapture(config, new RecordEncoder(1 << 20), r -> {
            throw new IllegalStateException("bug");
        }, Status.SILENT);

        // when
        SpoolEntry entry = capture.capture(LogRecord.builder().ts(Instant.now()).level(Level.WARN).logger("org.dq.Y")
                .message("secret detail").build());

        // then
        LogRecord sent = RecordCodec.decode(entry.copyOfBody());
        assertThat(sent.id()).isEqualTo(entry.id());
        assertThat(sent.level()).isEqualTo(Level.WARN);
        assertThat(sent.logger()).isEqualTo("org.dq.Y");
        assertThat(sent.message()).contains("could not be encoded").doesNotContain("secret");
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
