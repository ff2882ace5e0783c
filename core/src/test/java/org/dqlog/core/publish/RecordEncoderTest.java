package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {

    private static final int MAX = 4096;

    @Test
    void aRecordWithinTheLimitIsEncodedUnchanged() throws Exception {
        // given
        LogRecord record = TestRecords.record("small-1", Level.INFO);

        // when
        byte[] body = new RecordEncoder(MAX).encode(record);

        // then
        assertThat(RecordCodec.decode(body)).isEqualTo(record);
    }

    @Test
    void anOversizeRecordHasMessageAndStackCutIsMarkedTruncatedAndKeepsItsIdentity() throws Exception {
        // given: a message of 100,000 characters (with control characters, which take six bytes) and a long stack
        String message = String.join("", Collections.nCopies(20_000, "ab\u0001\u00e9\n"));
        String stack = String.join("", Collections.nCopies(2_000, "\tat org.dq.Deep.call(Deep.java:1)\n"));
        LogRecord record = TestRecords.record("big-1", Level.ERROR).toBuilder().message(message)
                .exception(new ExceptionInfo("java.lang.IllegalStateException", "boom", stack))
                .putMdc("run", "261070").traceback(List.of("x".repeat(50_000))).build();

        // when
        byte[] body = new RecordEncoder(MAX).encode(record);

        // then
        assertThat(body.length).isLessThanOrEqualTo(MAX);
        LogRecord cut = RecordCodec.decode(body);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.id()).isEqualTo("big-1");
        assertThat(cut.level()).isEqualTo(Level.ERROR);
        assertThat(cut.logger()).isEqualTo(record.logger());
        assertThat(cut.ts()).isEqualTo(record.ts());
        assertThat(cut.message()).startsWith("ab\u0001\u00e9\nab").endsWith(RecordEncoder.CUT_MARK);
        assertThat(cut.exception().className()).isEqualTo("java.lang.IllegalStateException");
        assertThat(cut.exception().stackTrace()).startsWith("\tat org.dq.Deep.call");
        assertThat(cut.mdc()).containsEntry("run", "261070");
    }

    @Test
    void aLimitBelowEvenTheIdentityGivesTheSmallestFormRatherThanNothing() throws Exception {
        // given
        LogRecord record = TestRecords.record("tiny-1", Level.WARN).toBuilder().message("m".repeat(10_000)).build();

        // when
        byte[] body = new RecordEncoder(100).encode(record);

        // then
        LogRecord cut = RecordCodec.decode(body);
        assertThat(cut.id()).isEqualTo("tiny-1");
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.message()).hasSizeLessThan(200);
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() {
        // given: 100 emoji, two chars each
        String emoji = "\uD83D\uDE00".repeat(100);

        // when: a cut that would land between the two halves of a pair
        String cut = RecordEncoder.cut(emoji, 0.655);

        // then
        String kept = cut.substring(0, cut.length() - RecordEncoder.CUT_MARK.length());
        assertThat(kept.length() % 2).isZero();
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }
}
