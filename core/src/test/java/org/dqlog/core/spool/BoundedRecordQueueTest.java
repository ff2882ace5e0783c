package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dqlog.core.spool.Entries.ids;
import static org.dqlog.core.spool.Entries.log;
import static org.dqlog.core.spool.Entries.panic;
import static org.dqlog.core.spool.Entries.sized;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.dqlog.core.Level;
import org.junit.jupiter.api.Test;

class BoundedRecordQueueTest {

    private final DropCounter drops = new DropCounter();

    @Test
    void entriesLeaveInArrivalOrderAcrossClasses() {
        // given
        BoundedRecordQueue queue = new BoundedRecordQueue(100, 1_000_000, drops);
        List<SpoolEntry> offered = List.of(log("d1", Level.DEBUG), panic("p1"), log("i1", Level.INFO),
                log("e1", Level.ERROR), log("d2", Level.TRACE), log("w1", Level.WARN), panic("p2"));
        offered.forEach(queue::offer);

        // when
        List<SpoolEntry> first = new ArrayList<>();
        int moved = queue.drainTo(first, 3, Long.MAX_VALUE);
        SpoolEntry next = queue.poll();
        List<SpoolEntry> rest = new ArrayList<>();
        queue.drainTo(rest, 100, Long.MAX_VALUE);

        // then
        assertThat(moved).isEqualTo(3);
        assertThat(ids(first)).containsExactly("d1", "p1", "i1");
        assertThat(next.id()).isEqualTo("e1");
        assertThat(ids(rest)).containsExactly("d2", "w1", "p2");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
        assertThat(drops.snapshot().isEmpty()).isTrue();
    }

    @Test
    void whenFullEvictsOldestOfLowestClassAndNeverAPanicWhileALogRecordRemains() {
        // given a full queue of five
        BoundedRecordQueue queue = new BoundedRecordQueue(5, 1_000_000, drops);
        for (SpoolEntry entry : List.of(log("d1", Level.DEBUG), log("i1", Level.INFO), log("d2", Level.DEBUG),
                log("e1", Level.ERROR), panic("p1"))) {
            assertThat(queue.offer(entry)).isTrue();
        }

        // when / then: each offer evicts the oldest entry of the lowest class present
        assertThat(queue.offer(log("w1", Level.WARN))).isTrue();      // evicts d1
        assertThat(queue.offer(log("i2", Level.INFO))).isTrue();      // evicts d2
        assertThat(queue.offer(log("d3", Level.DEBUG))).isFalse();    // lowest present is INFO: d3 itself goes
        assertThat(queue.offer(panic("p2"))).isTrue();                // evicts i1
        assertThat(queue.offer(panic("p3"))).isTrue();                // evicts i2
        assertThat(queue.offer(panic("p4"))).isTrue();                // evicts w1
        assertThat(queue.offer(panic("p5"))).isTrue();                // evicts e1, the last log record
        assertThat(queue.offer(panic("p6"))).isTrue();                // only panics left: evicts p1
        assertThat(queue.offer(log("e2", Level.ERROR))).isFalse();    // a log record never evicts a panic

        // then
        List<SpoolEntry> left = new ArrayList<>();
        queue.drainTo(left, 100, Long.MAX_VALUE);
        assertThat(ids(left)).containsExactly("p2", "p3", "p4", "p5", "p6");
        DropCounter.Snapshot dropped = drops.snapshot();
        assertThat(dropped.count(Level.DEBUG)).isEqualTo(3);
        assertThat(dropped.count(Level.INFO)).isEqualTo(2);
        assertThat(dropped.count(Level.WARN)).isEqualTo(1);
        assertThat(dropped.count(Level.ERROR)).isEqualTo(2);
        assertThat(dropped.count(Level.FATAL)).isEqualTo(1);
        assertThat(dropped.panics()).isEqualTo(1);
        assertThat(dropped.total()).isEqualTo(9);
    }

    @Test
    void byteBoundEvictsAsManyAsNeededButNothingInVain() {
        // given a queue bounded at 100 body bytes holding 10 DEBUG bytes and 80 ERROR bytes
        BoundedRecordQueue queue = new BoundedRecordQueue(100, 100, drops);
        queue.offer(sized("d1", Level.DEBUG, false, 10));
        queue.offer(sized("e1", Level.ERROR, false, 40));
        queue.offer(sized("e2", Level.ERROR, false, 40));

        // when an INFO of 50 bytes cannot fit even without the DEBUG entry
        boolean infoAccepted = queue.offer(sized("i1", Level.INFO, false, 50));
        // and a panic of 50 bytes needs the DEBUG entry and one ERROR entry gone
        boolean panicAccepted = queue.offer(sized("p1", Level.FATAL, true, 50));
        // and an entry larger than the whole queue
        boolean hugeAccepted = queue.offer(sized("p2", Level.FATAL, true, 101));

        // then
        assertThat(infoAccepted).isFalse();
        assertThat(panicAccepted).isTrue();
        assertThat(hugeAccepted).isFalse();
        List<SpoolEntry> left = new ArrayList<>();
        queue.drainTo(left, 100, Long.MAX_VALUE);
        assertThat(ids(left)).containsExactly("e2", "p1");
        assertThat(queue.bodyBytes()).isZero();
        DropCounter.Snapshot dropped = drops.snapshot();
        assertThat(dropped.count(Level.INFO)).isEqualTo(1);
        assertThat(dropped.count(Level.DEBUG)).isEqualTo(1);
        assertThat(dropped.count(Level.ERROR)).isEqualTo(1);
        assertThat(dropped.count(Level.FATAL)).isEqualTo(1);
    }

    @Test
    void drainToStopsAtTheByteLimitButAlwaysMovesOneEntry() {
        // given
        BoundedRecordQueue queue = new BoundedRecordQueue(100, 10_000, drops);
        queue.offer(sized("big", Level.INFO, false, 500));
        queue.offer(sized("a", Level.INFO, false, 60));
        queue.offer(sized("b", Level.INFO, false, 60));
        queue.offer(sized("c", Level.INFO, false, 60));

        // when
        List<SpoolEntry> first = new ArrayList<>();
        queue.drainTo(first, 10, 100);
        List<SpoolEntry> second = new ArrayList<>();
        queue.drainTo(second, 10, 130);

        // then
        assertThat(ids(first)).containsExactly("big");
        assertThat(ids(second)).containsExactly("a", "b");
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.bodyBytes()).isEqualTo(60);
    }

    @Test
    void awaitNotEmptyReturnsWhenAnEntryArrives() throws Exception {
        BoundedRecordQueue queue = new BoundedRecordQueue(10, 10_000, drops);
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        try {
            // given a consumer waiting far longer than the test runs
            Future<Boolean> fed = consumer.submit(() -> queue.awaitNotEmpty(Duration.ofMinutes(5)));
            // when
            queue.offer(log("i1", Level.INFO));
            // then
            assertThat(fed.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(queue.awaitNotEmpty(Duration.ZERO)).isTrue();
            queue.poll();
            assertThat(queue.awaitNotEmpty(Duration.ofMillis(1))).isFalse();
        } finally {
            consumer.shutdownNow();
        }
    }

    @Test
    void aWakeUpEndsTheCurrentOrNextWaitOnceEvenIfItCameFirst() throws Exception {
        BoundedRecordQueue queue = new BoundedRecordQueue(10, 10_000, drops);
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        try {
            // given a wake-up before anyone waits (shutdown racing the sender thread)
            queue.wakeUp();
            // when the sender thread then waits
            Future<Boolean> woken = consumer.submit(() -> queue.awaitNotEmpty(Duration.ofMinutes(5)));
            // then it returns at once, empty-handed, and the wake-up is used up
            assertThat(woken.get(30, TimeUnit.SECONDS)).isFalse();
            assertThat(queue.awaitNotEmpty(Duration.ofMillis(1))).isFalse();

            // given a consumer waiting, when woken, then it returns too
            Future<Boolean> waiting = consumer.submit(() -> queue.awaitNotEmpty(Duration.ofMinutes(5)));
            queue.wakeUp();
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isFalse();
        } finally {
            consumer.shutdownNow();
        }
    }

    @Test
    void manyProducersOneConsumerLoseNothingUncountedAndKeepEachProducersOrder() throws Exception {
        // given a queue much smaller than what four producers offer
        int producers = 4;
        int perProducer = 20_000;
        BoundedRecordQueue queue = new BoundedRecordQueue(500, 1_000_000, drops);
        Level[] levels = Level.values();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            running.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(SpoolEntry.of(producer + ":" + i, levels[i % levels.length], i % 97 == 0, new byte[16]));
                }
            }, pool));
        }
        CompletableFuture<Void> allOffered = CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0]));

        // when one consumer drains until the producers are done and the queue is empty
        List<SpoolEntry> received = new ArrayList<>();
        List<SpoolEntry> batch = new ArrayList<>();
        while (!(allOffered.isDone() && queue.isEmpty())) {
            if (queue.awaitNotEmpty(Duration.ofMillis(50))) {
                batch.clear();
                queue.drainTo(batch, 100, Long.MAX_VALUE);
                received.addAll(batch);
            }
        }
        allOffered.get();
        pool.shutdown();

        // then every entry was received once or counted as dropped, and each producer's order holds
        assertThat(received.size() + drops.snapshot().total()).isEqualTo((long) producers * perProducer);
        Set<String> unique = new HashSet<>(ids(received));
        assertThat(unique).hasSize(received.size());
        Map<String, Integer> lastSeen = new HashMap<>();
        for (SpoolEntry entry : received) {
            String[] parts = entry.id().split(":");
            int sequence = Integer.parseInt(parts[1]);
            Integer previous = lastSeen.put(parts[0], sequence);
            assertThat(previous == null || previous < sequence).as("order of producer %s", parts[0]).isTrue();
        }
        assertThat(queue.size()).isZero();
    }

    @Test
    void capturedEntriesCountByTheirEstimateAndTheQueueNeverEncodesThem() {
        // given: a queue of 1,000 bytes and captured entries of an estimated 400 bytes each
        BoundedRecordQueue queue = new BoundedRecordQueue(100, 1_000, new DropCounter());
        List<SpoolEntry> captured = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "c" + i;
            captured.add(SpoolEntry.captured(Level.INFO, false, 400, () -> Entries.log(id, Level.INFO)));
        }

        // when
        for (SpoolEntry entry : captured) {
            queue.offer(entry);
        }

        // then: the bound holds by the estimate (the third evicted the first), and nothing was encoded
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.bodyBytes()).isEqualTo(800);
        assertThat(queue.drops().snapshot().total()).isEqualTo(1);
        assertThat(captured).noneMatch(SpoolEntry::isEncoded);
        List<SpoolEntry> out = new ArrayList<>();
        queue.drainTo(out, 10, Long.MAX_VALUE);
        assertThat(ids(out)).containsExactly("c1", "c2");
        assertThat(queue.bodyBytes()).isZero();
    }
}
