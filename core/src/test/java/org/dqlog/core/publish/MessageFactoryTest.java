package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.spool.SpoolEntry;
import org.dqlog.core.testing.BatchLines;
import org.junit.jupiter.api.Test;

/** How entries become SENDs: batches, their cap and headers, singles, panics alone. */
class MessageFactoryTest {

    private static final MessageFactory BATCHING = MessageFactory.of(SenderConfig.builder()
            .settings(ClientSettings.of(Map.of(), Map.of())).brokers("tcp://127.0.0.1:1").app("mf-test").host("mf-host")
            .build());

    @Test
    void aLoneRecordIsASingleLogMessage() throws Exception {
        List<int[]> owners = new ArrayList<>();
        List<OutboundMessage> out = BATCHING.messages(List.of(entry("one", Level.INFO, false, "x")), owners);

        assertThat(out).singleElement().satisfies(m -> {
            assertThat(m.headers()).containsEntry(MessageHeaders.MSG_TYPE, LogRecord.TYPE_LOG);
            assertThat(RecordCodec.decode(m.body()).id()).isEqualTo("one");
        });
        assertThat(owners).singleElement().isEqualTo(new int[] {0});
    }

    @Test
    void recordsWaitingTogetherBecomeOneBatchWhoseLevelIsTheHighestAndPanicsAlsoTravelAlone() throws Exception {
        List<SpoolEntry> entries = List.of(entry("a", Level.INFO, false, "x"), entry("b", Level.ERROR, true, "y"),
                entry("c", Level.DEBUG, false, "z"));
        List<int[]> owners = new ArrayList<>();

        List<OutboundMessage> out = BATCHING.messages(entries, owners);

        assertThat(out).hasSize(2);
        OutboundMessage panic = out.get(0);
        assertThat(panic.destination()).isEqualTo(Destinations.PANIC);
        assertThat(panic.headers()).containsEntry(MessageHeaders.MSG_TYPE, LogRecord.TYPE_PANIC);
        OutboundMessage batch = out.get(1);
        assertThat(batch.destination()).isEqualTo(Destinations.LOGGING);
        assertThat(batch.headers()).containsEntry(MessageHeaders.MSG_TYPE, MessageFactory.LOG_BATCH)
                .containsEntry(MessageHeaders.LEVEL, "ERROR").containsEntry(MessageHeaders.HOST, "mf-host")
                .containsEntry(MessageHeaders.APP, "mf-test");
        assertThat(ids(batch)).containsExactly("a", "b", "c");
        assertThat(owners.get(1)).containsExactly(0, 1, 2);
    }

    @Test
    void batchesStayUnderTheCapAndARecordLargerThanTheCapTravelsAlone() throws Exception {
        List<SpoolEntry> entries = new ArrayList<>();
        String text = "m".repeat(10_000);
        for (int i = 0; i < 100; i++) {
            entries.add(entry("r" + i, Level.INFO, false, text));
        }
        entries.add(entry("huge", Level.WARN, false, "h".repeat(MessageFactory.BATCH_MAX_BYTES)));
        List<int[]> owners = new ArrayList<>();

        List<OutboundMessage> out = BATCHING.messages(entries, owners);

        assertThat(out).allSatisfy(m -> assertThat(m.body().length <= MessageFactory.BATCH_MAX_BYTES
                || m.headers().get(MessageHeaders.MSG_TYPE).equals(LogRecord.TYPE_LOG)).isTrue());
        assertThat(out).filteredOn(m -> BatchLines.isBatch(m.headers())).hasSizeGreaterThan(1);
        List<String> all = new ArrayList<>();
        for (OutboundMessage m : out) {
            all.addAll(ids(m));
        }
        assertThat(all).hasSize(101).doesNotHaveDuplicates().contains("huge");
        OutboundMessage huge = out.stream().filter(m -> ids(m).contains("huge")).findFirst().orElseThrow();
        assertThat(huge.headers()).containsEntry(MessageHeaders.MSG_TYPE, LogRecord.TYPE_LOG);
    }

    @Test
    void aDrainOfAnotherSpoolNeverMixesHostsOrAppsInOneBatch() {
        MessageFactory drain = MessageFactory.readingHeadersFromBodies("me", "mine").batching(true);
        List<SpoolEntry> entries = List.of(entry("a1", "h1", "app", Level.INFO), entry("a2", "h1", "app", Level.INFO),
                entry("b1", "h2", "app", Level.INFO), entry("c1", "h2", "other", Level.INFO), entry("c2", "h2", "other", Level.INFO));

        List<OutboundMessage> out = drain.messages(entries, new ArrayList<>());

        assertThat(out.stream().map(m -> m.headers().get(MessageHeaders.HOST) + "/" + m.headers().get(MessageHeaders.APP)
                + "=" + ids(m)).collect(Collectors.toList()))
                .containsExactly("h1/app=[a1, a2]", "h2/app=[b1]", "h2/other=[c1, c2]");
    }

    @Test
    void withBatchingOffEveryRecordIsItsOwnMessage() {
        List<SpoolEntry> entries = List.of(entry("a", Level.INFO, false, "x"), entry("b", Level.WARN, false, "y"));

        List<OutboundMessage> out = BATCHING.batching(false).messages(entries, new ArrayList<>());

        assertThat(out).hasSize(2).allSatisfy(m -> assertThat(m.headers()).containsEntry(MessageHeaders.MSG_TYPE, LogRecord.TYPE_LOG));
    }

    private static List<String> ids(OutboundMessage m) {
        try {
            return BatchLines.records(m.headers(), m.body()).stream().map(LogRecord::id).collect(Collectors.toList());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SpoolEntry entry(String id, Level level, boolean panic, String message) {
        LogRecord r = TestRecords.record(id, level).toBuilder().message(message).panic(panic).build();
        return SpoolEntry.wrap(id, level, panic, RecordCodec.encode(r));
    }

    private static SpoolEntry entry(String id, String host, String app, Level level) {
        LogRecord r = TestRecords.record(id, level).toBuilder().host(host).app(app).build();
        return SpoolEntry.wrap(id, level, false, RecordCodec.encode(r));
    }
}
