package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.spool.BoundedRecordQueue;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory queue's byte bound holds for captured records whatever their text: a record whose
 * encoding is larger than its character count (CJK and Cyrillic in UTF-8, control characters
 * escaped in JSON) is counted by what it encodes to, not a byte per character.
 */
class CapturedMemoryBoundTest {

    private static final long MAX_BYTES = 200_000;

    private final SenderConfig config = SenderConfig.builder().brokers("tcp://127.0.0.1:61613").app("bound")
            .host("testhost").build();
    private final RecordCapture capture = new RecordCapture(config, new RecordEncoder(1 << 20), r -> r, Status.SILENT);

    @ParameterizedTest
    @ValueSource(strings = {"\u6f22\u5b57", "\u0416\u0438", "\u0001\u001f", "plain ascii"})
    void aQueueFullOfCapturedRecordsNeverHoldsMoreEncodedBytesThanItsBound(String text) {
        BoundedRecordQueue queue = new BoundedRecordQueue(100_000, MAX_BYTES, new DropCounter());
        String message = text.repeat(1_000);
        while (queue.offerIfRoom(capture.capture(record(message)))) {
            // fill it
        }
        List<SpoolEntry> held = new ArrayList<>();
        queue.drainTo(held, Integer.MAX_VALUE, Long.MAX_VALUE);

        long encoded = held.stream().mapToLong(SpoolEntry::bodyBytes).sum();
        assertThat(held).isNotEmpty();
        assertThat(encoded).as("encoded bytes of the %d records a %d-byte queue took", held.size(), MAX_BYTES)
                .isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void anEncodedEntryGivenBackToTheQueueIsCountedByItsEncodedLength() {
        SpoolEntry entry = capture.capture(record("\u6f22".repeat(1_000)));
        entry.bodyBytes();
        assertThat(entry.memoryBytes()).isEqualTo(entry.bodyBytes());
    }

    private static LogRecord record(String message) {
        return LogRecord.builder().level(Level.INFO).logger("l").thread("t").message(message).build();
    }
}
