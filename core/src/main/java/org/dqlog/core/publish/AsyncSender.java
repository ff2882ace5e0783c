package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.RecordIds;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.spool.BoundedRecordQueue;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.SpoolBatch;
import org.dqlog.core.spool.SpoolEntry;
import org.dqlog.core.spool.SpoolLockedException;

/**
 * What both appenders wrap: application threads {@link #submit} records, one daemon thread
 * ({@code dqlog-sender-<app>}) delivers them through a {@link Publisher}.
 *
 * <p><b>Application threads</b> only encode the record (cut to {@link SenderConfig#maxRecordBytes()}
 * if larger, see {@link RecordEncoder}) and offer it to a {@link BoundedRecordQueue} bounded in
 * records and bytes: {@code submit} never waits on the network and never throws. When the queue is
 * full, the oldest record of the lowest level class goes first, never a panic while a log record
 * could go instead; every drop is counted.
 *
 * <p><b>The sender thread</b> opens the {@link DiskSpool} (if enabled), connects, and sends the
 * spool's backlog first (read, publish, commit), then the memory queue in batches of up to
 * {@link SenderConfig#batchMaxRecords()}: each record to the logging destination and, if it is a
 * panic, also to the panic destination (same body, same id). A batch counts as sent once a broker
 * confirmed it. While no broker is reachable it moves the memory queue to the spool (so that the
 * records survive a restart of the application; without a spool they wait in memory, bounded) and
 * tries again after a delay that grows from {@link SenderConfig#reconnectDelayMin()} to
 * {@link SenderConfig#reconnectDelayMax()}. Once records were dropped and a broker is reachable, it
 * sends a WARN record (logger {@value SenderConfig#DROPPED_RECORDS_LOGGER}) saying how many of each
 * level were dropped between which times, so that the gap shows in the central log.
 *
 * <p><b>{@link #close()}</b> stops accepting records, tries to deliver what is queued within
 * {@link SenderConfig#shutdownTimeout()}, moves the rest to the spool, or else counts it as lost
 * and reports it; it returns after at most the shutdown timeout plus {@value #ABORT_GRACE_SECONDS} s
 * and never keeps the JVM from exiting (the thread is a daemon). Records submitted while close runs
 * may be refused.
 *
 * <p>Trouble is reported through {@link Status}, each kind at most once per
 * {@link SenderConfig#statusInterval()}; never through a logging framework.
 *
 * <p>Thread-safe: any number of threads may call {@link #submit}, {@link #stats()} and
 * {@link #close()}.
 */
public final class AsyncSender implements AutoCloseable {

    /** How long close() waits, after the shutdown timeout, for the sender thread to spool what is left. */
    public static final long ABORT_GRACE_SECONDS = 5;

    /** How long an idle sender thread sleeps before it looks at the spool and the drop counter again. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final Level[] LEVELS = Level.values();

    private final SenderConfig config;
    private final Status status;
    private final RecordIds ids = new RecordIds();
    private final RecordEncoder encoder;
    private final DropCounter drops = new DropCounter();
    private final BoundedRecordQueue queue;
    private final Publisher publisher;
    private final Map<String, String>[] loggingHeaders;
    private final Map<String, String>[] panicHeaders;
    private final ThrottledStatus outageReports;
    private final ThrottledStatus submitFailureReports;
    private final ThrottledStatus spoolReports;
    private final ThrottledStatus errorReports;
    private final Thread thread;

    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CountDownLatch closeRequested = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong dropsReported = new AtomicLong();

    // ---- owned by the sender thread
    private volatile DiskSpool spool;
    private final List<SpoolEntry> held = new ArrayList<>();
    private boolean online;
    private boolean dropReportSent;
    private long lastDropReportNanos;

    private AsyncSender(SenderConfig config, Status status) {
        this.config = config;
        this.status = status;
        this.encoder = new RecordEncoder(config.maxRecordBytes());
        this.queue = new BoundedRecordQueue(config.queueCapacity(), config.queueMaxBytes(), drops);
        this.publisher = Publisher.builder(config.brokers()).sessionConfig(config.sessionConfig()).status(status)
                .roundTimeout(config.roundTimeout()).reportInterval(config.statusInterval())
                .randomStart(config.randomStart()).build();
        this.loggingHeaders = headersPerLevel(config, false);
        this.panicHeaders = headersPerLevel(config, true);
        this.outageReports = new ThrottledStatus(status, config.statusInterval());
        this.submitFailureReports = new ThrottledStatus(status, config.statusInterval());
        this.spoolReports = new ThrottledStatus(status, config.statusInterval());
        this.errorReports = new ThrottledStatus(status, config.statusInterval());
        this.thread = new Thread(this::run, "dqlog-sender-" + config.app());
        thread.setDaemon(true);
    }

    /**
     * Starts the sender thread and returns at once; connecting and opening the spool happen on
     * that thread.
     */
    public static AsyncSender start(SenderConfig config, Status status) {
        AsyncSender sender = new AsyncSender(Objects.requireNonNull(config, "config"), Objects.requireNonNull(status, "status"));
        sender.thread.start();
        return sender;
    }

    /**
     * Takes a record for delivery; for application threads. Fills in what the record lacks (id from
     * this sender's {@link #nextId()}, ts now, host, app, pid), encodes it and queues it. Never
     * blocks on the network, never throws.
     *
     * @return true if the record was queued; false if it was dropped (queue full of records of its
     *     class or higher, counted), refused after {@link #close()}, or could not be encoded (reported)
     */
    public boolean submit(LogRecord record) {
        if (closing || record == null) {
            rejected.increment();
            return false;
        }
        try {
            LogRecord r = completed(record);
            Level level = r.level() != null ? r.level()
                    : r.panic() ? WireMessages.DEFAULT_PANIC_LEVEL : WireMessages.DEFAULT_LEVEL;
            boolean queued = queue.offer(SpoolEntry.wrap(r.id(), level, r.panic(), encoder.encode(r)));
            if (queued) {
                accepted.increment();
            }
            return queued;
        } catch (Throwable t) {
            rejected.increment();
            try {
                submitFailureReports.warn("dqlog: a record could not be encoded and was not sent: " + t.getClass().getName(), t);
            } catch (Throwable ignored) {
                // the status channel itself failed; submit must still return
            }
            return false;
        }
    }

    /** A fresh record id of this sender's instance ({@code <instance>-<sequence>}). */
    public String nextId() {
        return ids.next();
    }

    public SenderConfig config() {
        return config;
    }

    /** Counters and state now. */
    public SenderStats stats() {
        DiskSpool s = spool;
        BrokerAddress connected = publisher.connectedBroker();
        return new SenderStats(accepted.sum(), rejected.sum(), queue.size(), queue.bodyBytes(), sent.get(),
                spooled.get(), s == null ? 0 : s.sizeBytes(), dropsReported.get() + drops.snapshot().total(),
                lost.get(), publisher.failovers(), connected == null ? null : connected.uri());
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closing;
    }

    /**
     * Stops accepting records, delivers what is queued within the shutdown timeout, spools the
     * rest (or counts it lost and reports it), disconnects. Idempotent; bounded; a second call
     * returns at once.
     */
    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + config.shutdownTimeout().toNanos();
        closing = true;
        closeRequested.countDown();
        queue.wakeUp();
        if (Thread.currentThread() == thread) {
            return; // called from a status callback on the sender thread: it finishes by itself
        }
        try {
            thread.join(Math.max(1, config.shutdownTimeout().toMillis()));
            if (thread.isAlive()) {
                // A publish round may take longer than the shutdown timeout: cut it short, so that
                // the sender thread spools what is left.
                publisher.abort();
                thread.join(TimeUnit.SECONDS.toMillis(ABORT_GRACE_SECONDS));
            }
        } catch (InterruptedException e) {
            publisher.abort();
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            status.error("dqlog: the sender thread did not stop within " + config.shutdownTimeout() + " + "
                    + ABORT_GRACE_SECONDS + " s; leaving it behind (it is a daemon thread)", null);
            return;
        }
        List<SpoolEntry> late = new ArrayList<>();
        queue.drainTo(late, Integer.MAX_VALUE, Long.MAX_VALUE);
        if (!late.isEmpty()) {
            lost.addAndGet(late.size());
            status.error("dqlog: " + late.size() + " record(s) submitted while the sender was closing are lost", null);
        }
    }

    @Override
    public String toString() {
        return "AsyncSender[" + config.app() + ", " + stats() + "]";
    }

    // ---- application side

    private LogRecord completed(LogRecord r) {
        if (r.id() != null && r.ts() != null && r.host() != null && r.app() != null && r.pid() != null) {
            return r;
        }
        LogRecord.Builder b = r.toBuilder();
        if (r.id() == null) {
            b.id(ids.next());
        }
        if (r.ts() == null) {
            b.ts(Instant.now());
        }
        if (r.host() == null) {
            b.host(config.host());
        }
        if (r.app() == null) {
            b.app(config.app());
        }
        if (r.pid() == null) {
            b.pid(ProcessInfo.pid());
        }
        return b.build();
    }

    // ---- sender thread

    private void run() {
        try {
            openSpool();
            loop();
        } catch (Throwable t) {
            status.error("dqlog: the sender thread failed; records are no longer sent", t);
        } finally {
            finish();
        }
    }

    private void loop() {
        ReconnectBackoff backoff = new ReconnectBackoff(config.reconnectDelayMin(), config.reconnectDelayMax());
        while (!closing) {
            try {
                if (!online && !tryConnect()) {
                    waitOffline(backoff.next());
                    continue;
                }
                long sentBefore = sent.get();
                step();
                if (sent.get() > sentBefore) {
                    backoff.reset(); // only delivery proves the brokers well; a connect alone does not
                }
            } catch (PublishException e) {
                online = false;
                wentOffline(e);
                // every broker failed this batch; pause before the next round, also when connecting
                // works but a broker refuses the batch (an ERROR frame), so as not to hammer it
                waitOffline(backoff.next());
            } catch (IOException e) {
                spoolFailed(e);
            } catch (InterruptedException e) {
                // Nobody should interrupt this thread; keep going (close() wakes it without interrupting).
                Thread.interrupted();
            } catch (RuntimeException e) {
                errorReports.error("dqlog: unexpected failure in the sender thread; retrying", e);
                waitQuietly(backoff.next());
            }
        }
    }

    private boolean tryConnect() {
        try {
            publisher.connect();
            online = true;
            return true;
        } catch (PublishException e) {
            DiskSpool s = spool;
            outageReports.warn("dqlog: no broker reachable (" + e.getMessage() + "); "
                    + (s != null ? "spooling records to " + s.directory() : "holding records in memory (no spool)")
                    + " and trying again", null);
            return false;
        }
    }

    /** One unit of work while a broker is reachable: the held batch, a spool batch, or a memory batch. */
    private void step() throws IOException, InterruptedException {
        queueDropReport(false);
        if (!held.isEmpty()) {
            publishHeld(config.roundTimeout());
            return;
        }
        DiskSpool s = spool;
        if (s != null && s.hasUnread()) {
            SpoolBatch batch = s.readBatch(config.batchMaxRecords(), config.batchMaxBytes());
            if (batch != null) {
                if (!batch.isEmpty()) {
                    publisher.publish(messages(batch.entries()));
                }
                s.commit(batch);
                sent.addAndGet(batch.size());
            }
            relieveMemory(s);
            return;
        }
        if (queue.drainTo(held, config.batchMaxRecords(), config.batchMaxBytes()) == 0) {
            queue.awaitNotEmpty(IDLE_WAIT);
            return;
        }
        publishHeld(config.roundTimeout());
    }

    private void publishHeld(Duration timeLimit) throws PublishException {
        publisher.publish(messages(held), timeLimit);
        sent.addAndGet(held.size());
        held.clear();
    }

    /** While the spool's backlog goes out, the memory queue fills; spool part of it rather than let it drop records. */
    private void relieveMemory(DiskSpool s) throws IOException {
        if (queue.size() > config.queueCapacity() / 4 * 3 || queue.bodyBytes() > config.queueMaxBytes() / 4 * 3) {
            queue.drainTo(held, config.batchMaxRecords(), config.batchMaxBytes());
            spoolHeld(s);
        }
    }

    private void wentOffline(PublishException e) {
        DiskSpool s = spool;
        outageReports.warn("dqlog: sending failed (" + e.getMessage() + "); "
                + (s != null ? "spooling records to " + s.directory() : "holding records in memory (no spool)")
                + " and trying again", null);
        if (s != null) {
            s.rewind();
            try {
                spoolHeld(s);
            } catch (IOException spoolTrouble) {
                spoolFailed(spoolTrouble);
            }
        }
    }

    /**
     * Waits {@code delay} before the next round of connection attempts; meanwhile moves what
     * arrives in memory to the spool, if there is one. Returns early on close.
     */
    private void waitOffline(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            while (!closing) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                DiskSpool s = spool;
                if (s == null) {
                    closeRequested.await(remaining, TimeUnit.NANOSECONDS);
                    continue;
                }
                spoolHeld(s);
                while (queue.drainTo(held, config.batchMaxRecords(), config.batchMaxBytes()) > 0) {
                    spoolHeld(s);
                }
                queue.awaitNotEmpty(Duration.ofNanos(remaining));
            }
        } catch (IOException e) {
            spoolFailed(e);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    private void waitQuietly(Duration delay) {
        try {
            closeRequested.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    /** Appends the held entries to the spool; those it drops (spool full) are counted there. */
    private void spoolHeld(DiskSpool s) throws IOException {
        if (held.isEmpty()) {
            return;
        }
        int stored = s.append(held);
        spooled.addAndGet(stored);
        held.clear();
    }

    /** The spool cannot be written or read: go on without it (records wait in memory) and say so. */
    private void spoolFailed(IOException e) {
        DiskSpool s = spool;
        spool = null;
        if (s == null) {
            return;
        }
        spoolReports.error("dqlog: the spool at " + s.directory() + " failed; going on without it, records wait in"
                + " memory only (what it holds is sent by the next process that opens it)", e);
        try {
            s.close();
        } catch (IOException ignored) {
            // already reported the failure that matters
        }
    }

    /**
     * Puts a WARN record about dropped records in front of the held batch, at most once per drop
     * report interval (unless {@code force}), and resets the drop counter.
     */
    private void queueDropReport(boolean force) {
        if (drops.snapshot().isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (!force && dropReportSent && now - lastDropReportNanos < config.dropReportInterval().toNanos()) {
            return;
        }
        DropCounter.Snapshot dropped = drops.snapshotAndReset();
        if (dropped.isEmpty()) {
            return;
        }
        dropsReported.addAndGet(dropped.total());
        dropReportSent = true;
        lastDropReportNanos = now;
        LogRecord.Builder report = LogRecord.builder().id(ids.next()).type(LogRecord.TYPE_LOG).ts(Instant.now())
                .host(config.host()).app(config.app()).pid(ProcessInfo.pid()).level(Level.WARN)
                .logger(SenderConfig.DROPPED_RECORDS_LOGGER).thread(Thread.currentThread().getName())
                .message("dqlog " + dropped + ", because the memory queue or the disk spool was full;"
                        + " they never reached a broker")
                .putMdc("dropped", Long.toString(dropped.total()))
                .putMdc("dropped.first", String.valueOf(dropped.firstDrop()))
                .putMdc("dropped.last", String.valueOf(dropped.lastDrop()));
        for (Level level : LEVELS) {
            if (dropped.count(level) > 0) {
                report.putMdc("dropped." + level.name(), Long.toString(dropped.count(level)));
            }
        }
        if (dropped.panics() > 0) {
            report.putMdc("dropped.panics", Long.toString(dropped.panics()));
        }
        LogRecord r = report.build();
        held.add(0, SpoolEntry.wrap(r.id(), Level.WARN, false, encoder.encode(r)));
        status.warn("dqlog: " + dropped + " (memory queue or spool full); a WARN record of "
                + SenderConfig.DROPPED_RECORDS_LOGGER + " tells the central log", null);
    }

    /** Delivers what is in memory until the close deadline, then spools or counts the rest; closes everything. */
    private void finish() {
        long deadline = closeDeadlineNanos != 0 ? closeDeadlineNanos
                : System.nanoTime() + config.shutdownTimeout().toNanos();
        DiskSpool s = spool;
        // With a spool and no broker, the disk is the quick and safe place; otherwise try the brokers.
        if (online || s == null) {
            try {
                if (online) {
                    queueDropReport(true);
                }
                while (true) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    if (held.isEmpty() && queue.drainTo(held, config.batchMaxRecords(), config.batchMaxBytes()) == 0) {
                        break;
                    }
                    publishHeld(Duration.ofNanos(remaining));
                }
            } catch (PublishException | RuntimeException e) {
                // what is left goes to the spool or is counted lost below
            }
        }
        queue.drainTo(held, Integer.MAX_VALUE, Long.MAX_VALUE);
        s = spool;
        if (!held.isEmpty() && s != null) {
            try {
                spoolHeld(s);
            } catch (IOException e) {
                status.error("dqlog: could not spool " + held.size() + " record(s) at shutdown", e);
            }
        }
        if (!held.isEmpty()) {
            lost.addAndGet(held.size());
            status.error("dqlog: " + held.size() + " record(s) could not be delivered within the shutdown timeout of "
                    + config.shutdownTimeout() + (s == null ? " and there is no spool to keep them" : " nor spooled")
                    + "; they are lost", null);
            held.clear();
        }
        publisher.close();
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                status.warn("dqlog: closing the spool at " + s.directory() + " failed", e);
            }
        }
    }

    private void openSpool() {
        Path dir = config.spoolDir();
        if (dir == null) {
            return;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir);
        if (!config.isSpoolDirExplicit()) {
            for (int i = 1; i <= SenderConfig.MAX_DEFAULT_SPOOL_ALTERNATIVES; i++) {
                candidates.add(dir.resolveSibling(dir.getFileName() + "." + i));
            }
        }
        SpoolLockedException locked = null;
        for (Path candidate : candidates) {
            try {
                spool = DiskSpool.open(candidate, config.spoolMaxBytes(), drops, status);
                return;
            } catch (SpoolLockedException e) {
                locked = e;
            } catch (IOException | RuntimeException e) {
                status.error("dqlog: cannot open the spool at " + candidate + "; records wait in memory only", e);
                return;
            }
        }
        status.error("dqlog: the spool directory " + dir + (candidates.size() > 1 ? " and its alternatives are" : " is")
                + " used by other processes; records wait in memory only", locked);
    }

    // ---- messages

    private List<OutboundMessage> messages(List<SpoolEntry> entries) {
        List<OutboundMessage> out = new ArrayList<>(entries.size() + 4);
        for (SpoolEntry e : entries) {
            byte[] body = e.copyOfBody();
            out.add(OutboundMessage.of(config.loggingDestination(), loggingHeaders[e.level().ordinal()], body));
            if (e.isPanic()) {
                out.add(OutboundMessage.of(config.panicDestination(), panicHeaders[e.level().ordinal()], body));
            }
        }
        return out;
    }

    /**
     * The SEND headers of each level, made once. A spooled entry keeps only id, level and panic flag
     * besides its body, so the selector headers {@code host} and {@code app} are the sender's and
     * {@code MsgType} is {@code Log} ({@code Panic} on the panic queue); the body is what the
     * collector reads.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String>[] headersPerLevel(SenderConfig config, boolean panicCopy) {
        Map<String, String>[] result = new Map[LEVELS.length];
        for (Level level : LEVELS) {
            LogRecord template = LogRecord.builder().type(LogRecord.TYPE_LOG).host(config.host()).app(config.app())
                    .level(level).build();
            Map<String, String> h = new LinkedHashMap<>(
                    WireMessages.sendHeaders(template, panicCopy ? Destinations.PANIC : Destinations.LOGGING));
            for (Map.Entry<String, String> extra : config.extraHeaders().entrySet()) {
                h.putIfAbsent(extra.getKey(), extra.getValue());
            }
            result[level.ordinal()] = Collections.unmodifiableMap(h);
        }
        return result;
    }
}
