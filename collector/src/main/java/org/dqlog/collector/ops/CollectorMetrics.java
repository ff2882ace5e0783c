package org.dqlog.collector.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The collector's counters and states, for {@code /metrics} (Prometheus text format 0.0.4, every
 * name prefixed {@value #PREFIX}) and {@code /health}. The pipeline counts into it; parts that
 * keep their own counters (dead letters, the mail notifier, the disk guard) are bound as
 * suppliers and read at each scrape, so their wiring stays loose. A supplier that throws leaves
 * its metric out of that scrape instead of failing it.
 *
 * <p>Thread-safe: counters are {@link LongAdder}s, broker states a concurrent map, bindings
 * volatile.
 */
public final class CollectorMetrics {

    public static final String PREFIX = "dqlog_collector_";
    /** {@code records_per_second} averages over the last {@value} seconds. */
    public static final int RATE_WINDOW_SECONDS = 10;

    private final Clock clock;
    private final Map<String, BrokerState> brokers = new ConcurrentSkipListMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder archived = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder panicsReceived = new LongAdder();
    private final RateWindow receivedRate;
    private volatile Instant lastIndexCommit;

    private volatile Supplier<Map<String, Long>> deadLetters;
    private volatile LongSupplier mailsSent;
    private volatile LongSupplier mailsPending;
    private volatile LongSupplier mailsFailed;
    private volatile BooleanSupplier diskHasRoom;
    private volatile LongSupplier diskFreeBytes;
    private volatile LongSupplier diskMinFreeBytes;
    private volatile Supplier<List<String>> progressProblems;
    private volatile String fatal;

    public CollectorMetrics() {
        this(Clock.systemUTC());
    }

    public CollectorMetrics(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.receivedRate = new RateWindow(clock, RATE_WINDOW_SECONDS);
    }

    // ---- brokers

    /** The collector now consumes from {@code broker}. */
    public void brokerUp(String broker) {
        brokers.put(broker, new BrokerState(broker, true, clock.instant(), null));
    }

    /** The collector does not consume from {@code broker} (not yet connected, or lost); reason may be null. */
    public void brokerDown(String broker, String reason) {
        brokers.put(broker, new BrokerState(broker, false, clock.instant(), reason));
    }

    /** {@code broker} is no longer configured or resolved; it leaves the metrics. */
    public void brokerRemoved(String broker) {
        brokers.remove(broker);
    }

    /** Every known broker, sorted by name. */
    public List<BrokerState> brokers() {
        return new ArrayList<>(brokers.values());
    }

    public int brokersUp() {
        int n = 0;
        for (BrokerState b : brokers.values()) {
            if (b.up()) {
                n++;
            }
        }
        return n;
    }

    // ---- the pipeline counts

    public void recordsReceived(long n) {
        received.add(n);
        receivedRate.add(n);
    }

    /** Records newly written to the files and the index (duplicates not included). */
    public void recordsArchived(long n) {
        archived.add(n);
    }

    /** Records recognised as duplicates by id and not archived again. */
    public void duplicates(long n) {
        duplicates.add(n);
    }

    public void panicsReceived(long n) {
        panicsReceived.add(n);
    }

    public void indexCommitted(Instant at) {
        lastIndexCommit = at;
    }

    public long recordsReceived() { return received.sum(); }
    public long recordsArchived() { return archived.sum(); }
    public long duplicates() { return duplicates.sum(); }
    public long panicsReceived() { return panicsReceived.sum(); }

    /** The time of the last index commit, or null before the first. */
    public Instant lastIndexCommit() { return lastIndexCommit; }

    /** Records received per second over the last {@value #RATE_WINDOW_SECONDS} seconds. */
    public double recordsPerSecond() {
        return receivedRate.perSecond();
    }

    // ---- bound sources

    /** Dead letters by reason label. */
    public void bindDeadLetters(Supplier<Map<String, Long>> countsByReason) {
        this.deadLetters = countsByReason;
    }

    public void bindDeadLetters(DeadLetters letters) {
        bindDeadLetters(() -> {
            Map<String, Long> m = new LinkedHashMap<>();
            letters.counts().forEach((reason, n) -> m.put(reason.label(), n));
            return m;
        });
    }

    /**
     * The panic notifier's counts: mails sent, panics waiting in the outbox, and failed send
     * attempts. Any may be null when the notifier does not count it. Unbound (mail off), the
     * mail metrics are left out.
     */
    public void bindMail(LongSupplier sent, LongSupplier pending, LongSupplier failed) {
        this.mailsSent = sent;
        this.mailsPending = pending;
        this.mailsFailed = failed;
    }

    /** Unbound, the disk counts as having room and the disk metrics are left out. */
    public void bindDisk(BooleanSupplier hasRoom, LongSupplier freeBytes, LongSupplier minFreeBytes) {
        this.diskHasRoom = hasRoom;
        this.diskFreeBytes = freeBytes;
        this.diskMinFreeBytes = minFreeBytes;
    }

    public void bindDisk(DiskSpaceGuard guard) {
        bindDisk(guard::hasRoom, guard::usableBytes, guard::minFreeBytes);
    }

    /** Where {@code /health} learns that records wait without being archived (one line per problem). */
    public void bindProgress(Supplier<List<String>> problems) {
        this.progressProblems = problems;
    }

    /**
     * The collector cannot go on (a dead pipeline, a failed fsync, a closed index) and is
     * stopping to be restarted; {@code /health} fails with this reason from now on. What fails
     * next (as the rest of the collector notices) is added after it.
     */
    public synchronized void fatal(String reason) {
        if (fatal == null) {
            fatal = reason;
        } else if (fatal.length() < 4096) {
            fatal = fatal + "; then: " + reason;
        }
    }

    // ---- health

    /** Why the collector is not making progress: a fatal failure, or records waiting with nothing archived. */
    public List<String> progressProblems() {
        List<String> problems = new ArrayList<>();
        String f = fatal;
        if (f != null) {
            problems.add(f);
        }
        Supplier<List<String>> s = progressProblems;
        if (s != null) {
            try {
                problems.addAll(s.get());
            } catch (RuntimeException e) {
                problems.add("cannot tell whether records are being archived: " + e);
            }
        }
        return problems;
    }

    /** Whether the disk has room: true when no disk guard is bound, false when the bound one fails. */
    public boolean diskHasRoom() {
        BooleanSupplier s = diskHasRoom;
        if (s == null) {
            return true;
        }
        try {
            return s.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Healthy: consuming from at least one broker, the disk has room, and records waiting are being archived. */
    public boolean healthy() {
        return brokersUp() > 0 && diskHasRoom() && progressProblems().isEmpty();
    }

    /** Free bytes of the data directory's file system, or null when unknown. */
    public Long diskFreeBytes() {
        return read(diskFreeBytes);
    }

    public Long diskMinFreeBytes() {
        return read(diskMinFreeBytes);
    }

    // ---- exposition

    /** The current values in Prometheus text format 0.0.4. */
    public String exposition() {
        PrometheusText t = new PrometheusText();
        String brokerUp = PREFIX + "broker_up";
        t.metric(brokerUp, "gauge", "1 while the collector consumes from this broker, else 0.");
        for (BrokerState b : brokers.values()) {
            t.sample(brokerUp, Map.of("broker", b.broker()), b.up() ? 1 : 0);
        }
        gauge(t, "brokers_up", "Brokers the collector consumes from now.", brokersUp());
        counter(t, "records_received_total", "Records received from all brokers, duplicates included.", received.sum());
        counter(t, "records_archived_total", "Records written to the per-host files and the index.", archived.sum());
        counter(t, "records_duplicate_total", "Records recognised by id as already archived.", duplicates.sum());
        t.metric(PREFIX + "records_per_second", "gauge",
                "Records received per second over the last " + RATE_WINDOW_SECONDS + " s (for humans; use rate() on the counter).");
        t.sample(PREFIX + "records_per_second", Math.round(recordsPerSecond() * 1000) / 1000.0);

        Map<String, Long> letters = readMap(deadLetters);
        if (letters != null) {
            String name = PREFIX + "dead_letters_total";
            t.metric(name, "counter", "Messages written to the dead-letter file, by reason.");
            letters.forEach((reason, n) -> t.sample(name, Map.of("reason", reason), n));
        }
        counter(t, "panics_received_total", "Panics received on the panic queue.", panicsReceived.sum());
        optional(t, "panic_mails_sent_total", "counter", "Panic mails sent (a storm counts once).", read(mailsSent));
        optional(t, "panic_mails_pending", "gauge", "Panics waiting to be mailed.", read(mailsPending));
        optional(t, "panic_mails_failed_total", "counter", "Failed attempts to send a panic mail.", read(mailsFailed));

        Instant commit = lastIndexCommit;
        t.metric(PREFIX + "last_index_commit_timestamp_seconds", "gauge",
                "Time of the last index commit, seconds since the epoch; 0 before the first.");
        t.sample(PREFIX + "last_index_commit_timestamp_seconds",
                commit == null ? 0 : commit.getEpochSecond() + commit.getNano() / 1e9);

        if (diskHasRoom != null) {
            Long free = diskFreeBytes();
            optional(t, "disk_free_bytes", "gauge", "Usable bytes on the data directory's file system.",
                    free == null || free < 0 ? null : free);
            optional(t, "disk_min_free_bytes", "gauge", "Below this many free bytes the collector stops acknowledging.",
                    diskMinFreeBytes());
            gauge(t, "disk_full", "1 while free space is below the minimum (nothing is acknowledged), else 0.",
                    diskHasRoom() ? 0 : 1);
        }
        return t.text();
    }

    /** The content type of {@link #exposition()}. */
    public static String expositionContentType() {
        return PrometheusText.CONTENT_TYPE;
    }

    private static void counter(PrometheusText t, String name, String help, long value) {
        t.metric(PREFIX + name, "counter", help);
        t.sample(PREFIX + name, Map.of(), value);
    }

    private static void gauge(PrometheusText t, String name, String help, long value) {
        t.metric(PREFIX + name, "gauge", help);
        t.sample(PREFIX + name, Map.of(), value);
    }

    private static void optional(PrometheusText t, String name, String type, String help, Long value) {
        if (value != null) {
            t.metric(PREFIX + name, type, help);
            t.sample(PREFIX + name, Map.of(), value.longValue());
        }
    }

    private static Long read(LongSupplier s) {
        if (s == null) {
            return null;
        }
        try {
            return s.getAsLong();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Long> readMap(Supplier<Map<String, Long>> s) {
        if (s == null) {
            return null;
        }
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
