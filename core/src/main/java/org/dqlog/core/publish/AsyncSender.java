package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.SpoolEntry;
import org.dqlog.core.spool.SpoolLockedException;

/**
 * What both appenders wrap: application threads {@link #submit} records into a
 * {@link RecordBuffer} (memory queue and disk spool, with its own spill thread), and one daemon
 * thread, the sink ({@code dqlog-sender-<app>}), takes them from the buffer and delivers them
 * through a {@link Publisher}. The buffer never waits on the network; the sink never makes the
 * buffer drop what the disk could hold.
 *
 * <p><b>Application threads</b> only capture the record and offer it to memory ({@link RecordCapture}):
 * {@code submit} never waits on the network or the disk, never encodes (unless memory is full and
 * it appends to the spool itself) and never throws. The id, the JSON body (cut to
 * {@link SenderConfig#maxRecordBytes()} if larger, see {@link RecordEncoder}) and what a
 * decoration adds are made on the sender's side. Name resolution, opening the spool, connecting
 * and the instance id's {@code SecureRandom} all happen on the sender's threads.
 *
 * <p><b>The sink</b> connects, then sends batches of up to {@link SenderConfig#batchMaxRecords()}:
 * panics in memory first, then memory and the spool's backlog (highest class first) in turn; each record
 * to the logging destination and, if it is a panic, also to the panic destination (same body,
 * same id); several records waiting together travel as one {@code LogBatch} message unless
 * {@link SenderConfig#batching()} is off ({@link MessageFactory}). Up to {@link SenderConfig#window()}
 * batches are in flight at once, each with its receipt ({@link SendWindow}); a batch counts as
 * sent once a broker confirmed it, and after a failover the whole unconfirmed window is sent
 * again. Every {@link SenderConfig#rebalanceInterval()} or so the sender picks a broker at random
 * again, so that a fleet spreads over brokers that came back. A message a broker refuses for good
 * (not authorised, too large) goes to the dead-letter file beside the spool, and a WARN record
 * says so; the rest goes on. While no broker is reachable everything goes to the spool, and the
 * sink tries again after a delay that grows from {@link SenderConfig#reconnectDelayMin()} to
 * {@link SenderConfig#reconnectDelayMax()} ({@link SenderConfig#loginRetryDelay()} at least when
 * the login was refused, which is reported as such). Once records were dropped and a broker is
 * reachable, it sends a WARN record (logger {@value SenderConfig#DROPPED_RECORDS_LOGGER}) saying how
 * many of each level were dropped between which times; the count is kept in the spool until a
 * broker confirmed that record, so it survives an exit while offline. When idle it drains the
 * spools that siblings and dead processes left ({@link SiblingSpools}).
 *
 * <p><b>{@link #close()}</b> stops accepting records (a record whose {@code submit} began before is
 * still taken), delivers memory and the spool's backlog within {@link SenderConfig#shutdownTimeout()}
 * (connecting first if need be: a short-lived program sends its backlog too), spools the rest, or
 * else counts it as lost and reports it; it returns after at most the shutdown timeout plus
 * {@value #ABORT_GRACE_SECONDS} s and never keeps the JVM from exiting (the threads are daemons).
 * If the sink dies of an {@link Error}, {@code submit} refuses (and counts) every later record.
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
    /** How often a closing sender looks whether the spool has opened, when nothing else is left to send. */
    private static final Duration SPOOL_SETTLE_POLL = Duration.ofMillis(20);
    /** How often an idle sender looks for spools left by siblings and dead processes. */
    private static final Duration SIBLING_SCAN_INTERVAL = Duration.ofSeconds(30);
    /** Longest one turn of draining a sibling's spool before the sender looks at its own work again. */
    private static final Duration SIBLING_SLICE = Duration.ofSeconds(2);

    private final SenderConfig config;
    private final Status status;
    private final RecordEncoder encoder;
    private final RecordCapture capture;
    private final RecordBuffer buffer;
    private final Publisher publisher;
    private final NoticeRecords notices;
    private final EntryPublisher entries;
    private final SendWindow window;
    private final ThrottledStatus outageReports;
    private final ThrottledStatus submitFailureReports;
    private final ThrottledStatus errorReports;
    private final Thread thread;

    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CountDownLatch closeRequested = new CountDownLatch(1);
    private final AtomicInteger submitting = new AtomicInteger();
    private volatile boolean closing;
    private volatile boolean dead;
    private volatile long closeDeadlineNanos;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong dropsReported = new AtomicLong();

    // ---- owned by the sender thread
    private boolean online;
    private long lastDropReportNanos;
    private boolean dropReportSent;
    private long nextSiblingScanNanos;
    private boolean memoryFirst;

    private AsyncSender(SenderConfig config, Status status, UnaryOperator<LogRecord> decoration) {
        this.config = config;
        this.status = status;
        this.encoder = new RecordEncoder(config.maxRecordBytes());
        this.capture = new RecordCapture(config, encoder, decoration, status);
        this.buffer = new RecordBuffer(config, status);
        this.publisher = Publisher.builder(config.brokers()).sessionConfig(config.sessionConfig()).status(status)
                .roundTimeout(config.roundTimeout()).reportInterval(config.statusInterval())
                .randomStart(config.randomStart()).rebalanceInterval(config.rebalanceInterval()).build();
        this.notices = new NoticeRecords(capture::nextId, config.host(), config.app(), encoder);
        this.entries = new EntryPublisher(publisher, MessageFactory.of(config), notices, this::deadLetterFile,
                status, config.statusInterval());
        this.window = new SendWindow(publisher, entries, config.window(), config.sessionConfig().receiptTimeout(),
                new SendWindow.Outcome() {
                    @Override
                    public void delivered(RecordBuffer.Batch batch, int count, List<SpoolEntry> announcements) {
                        onDelivered(batch, count, announcements);
                    }

                    @Override
                    public void undelivered(RecordBuffer.Batch batch) {
                        buffer.undelivered(batch);
                    }
                }, () -> buffer.nextPanics(config.batchMaxRecords()));
        this.outageReports = new ThrottledStatus(status, config.statusInterval());
        this.submitFailureReports = new ThrottledStatus(status, config.statusInterval());
        this.errorReports = new ThrottledStatus(status, config.statusInterval());
        this.thread = new Thread(this::run, "dqlog-sender-" + config.app());
        thread.setDaemon(true);
    }

    /**
     * Starts the sender's threads and returns at once; resolving broker names, opening the spool
     * and connecting happen on them.
     */
    public static AsyncSender start(SenderConfig config, Status status) {
        return start(config, status, UnaryOperator.identity());
    }

    /**
     * {@link #start(SenderConfig, Status)} with a decoration applied to every submitted record on
     * the sender's side, after it was completed and before it is encoded (an appender adds its
     * panic fields there). The decoration must be thread-safe and cheap enough for the sender.
     */
    public static AsyncSender start(SenderConfig config, Status status, UnaryOperator<LogRecord> decoration) {
        AsyncSender sender = new AsyncSender(Objects.requireNonNull(config, "config"), Objects.requireNonNull(status, "status"),
                Objects.requireNonNull(decoration, "decoration"));
        sender.buffer.start();
        sender.thread.start();
        return sender;
    }

    /**
     * Takes a record for delivery; for application threads. Stamps the time of the call if the
     * record has none and queues it as it is; what else it lacks (id from this sender's
     * {@link #nextId()}, host, app, pid) is filled in when it is encoded, on the sender's side.
     * Never blocks on the network, never throws.
     *
     * @return true if the record was queued; false if it was dropped (memory full of records of its
     *     class or higher, counted), refused after {@link #close()} or after the sender thread died
     *     (counted), or could not be taken (reported)
     */
    public boolean submit(LogRecord record) {
        submitting.incrementAndGet();
        try {
            if (closing || dead || record == null) {
                rejected.increment();
                return false;
            }
            boolean queued = buffer.offer(capture.capture(record));
            if (queued) {
                accepted.increment();
            }
            return queued;
        } catch (Throwable t) {
            rejected.increment();
            try {
                submitFailureReports.warn("dqlog: a record could not be taken and was not sent: " + t.getClass().getName(), t);
            } catch (Throwable ignored) {
                // the status channel itself failed; submit must still return
            }
            return false;
        } finally {
            submitting.decrementAndGet();
        }
    }

    /** A fresh record id of this sender's instance ({@code <instance>-<sequence>}). */
    public String nextId() {
        return capture.nextId();
    }

    public SenderConfig config() {
        return config;
    }

    /** Counters and state now. */
    public SenderStats stats() {
        DiskSpool s = buffer.spool();
        BrokerAddress connected = publisher.connectedBroker();
        return new SenderStats(accepted.sum(), rejected.sum(), buffer.memorySize(), buffer.memoryBytes(), sent.get(),
                buffer.spilled(), s == null ? 0 : s.sizeBytes(), dropsReported.get() + buffer.unreportedDrops(),
                lost.get(), publisher.failovers(), connected == null ? null : connected.uri(), entries.refused());
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closing;
    }

    /**
     * Stops accepting records, delivers what is queued and spooled within the shutdown timeout,
     * spools the rest (or counts it lost and reports it), disconnects. Idempotent; bounded; a
     * second call returns at once.
     */
    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + config.shutdownTimeout().toNanos();
        closing = true;
        // a submit that began before closing was set finishes its offer before the sink's last drain
        while (submitting.get() > 0 && System.nanoTime() - closeDeadlineNanos < 0) {
            Thread.onSpinWait();
        }
        closeRequested.countDown();
        buffer.wakeUp();
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
        }
    }

    @Override
    public String toString() {
        return "AsyncSender[" + config.app() + ", " + stats() + "]";
    }

    // ---- sender thread

    private void run() {
        try {
            capture.ids(); // the instance id's SecureRandom, here rather than on the first logging call
            loop();
        } catch (Throwable t) {
            dead = true;
            status.error("dqlog: the sender thread failed; records are no longer accepted (refused ones are"
                    + " counted), what is queued goes to the spool", t);
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
            } catch (LoginRefusedException e) {
                wentOffline(e);
                waitOffline(max(backoff.next(), config.loginRetryDelay()));
            } catch (PublishException e) {
                wentOffline(e);
                // every broker failed this batch; pause before the next round, so as not to hammer them
                waitOffline(backoff.next());
            } catch (InterruptedException e) {
                // Nobody should interrupt this thread; keep going (close() wakes it without interrupting).
                Thread.interrupted();
            } catch (RuntimeException e) {
                errorReports.error("dqlog: unexpected failure in the sender thread; retrying", e);
                waitOffline(backoff.next());
            }
        }
    }

    private boolean tryConnect() throws LoginRefusedException {
        try {
            publisher.connect();
            online = true;
            buffer.spillAll(false);
            return true;
        } catch (LoginRefusedException e) {
            throw e;
        } catch (PublishException e) {
            buffer.spillAll(true);
            outageReports.warn("dqlog: no broker reachable (" + e.getMessage() + "); " + whereRecordsWait()
                    + " and trying again", null);
            return false;
        }
    }

    private void wentOffline(PublishException e) {
        online = false;
        buffer.spillAll(true);
        if (e instanceof LoginRefusedException) {
            outageReports.error("dqlog: the broker refused the login of user '" + config.credentials().login()
                    + "' or its certificate is not trusted (" + e.getMessage() + "); check the login, passcode and trust store; "
                    + whereRecordsWait()
                    + " and trying again every " + config.loginRetryDelay().toSeconds() + " s", null);
        } else {
            outageReports.warn("dqlog: sending failed (" + e.getMessage() + "); " + whereRecordsWait()
                    + " and trying again", null);
        }
    }

    private String whereRecordsWait() {
        DiskSpool s = buffer.spool();
        return s != null ? "spooling records to " + s.directory()
                : config.spoolDir() != null ? "holding records in memory until the spool at " + config.spoolDir() + " opens"
                : "holding records in memory (no spool)";
    }

    /** One unit of work while a broker is reachable: the drop report, a batch, or a turn at a sibling's spool. */
    private void step() throws PublishException, InterruptedException {
        sendDropReport(false);
        memoryFirst = !memoryFirst;
        RecordBuffer.Batch batch = buffer.next(config.batchMaxRecords(), config.batchMaxBytes(), memoryFirst);
        if (batch != null) {
            window.send(batch, config.roundTimeout());
        } else if (window.size() > 0) {
            window.flush(config.roundTimeout()); // nothing more to send: confirm what is in flight
        } else {
            drainSiblings();
            buffer.awaitWork(IDLE_WAIT);
        }
    }

    /** A broker confirmed {@code batch}: it leaves the buffer; the WARN records about refused ones go next. */
    private void onDelivered(RecordBuffer.Batch batch, int count, List<SpoolEntry> announcements) {
        buffer.delivered(batch);
        sent.addAndGet(count);
        for (SpoolEntry announcement : announcements) {
            buffer.offer(announcement);
        }
    }

    /**
     * Sends a WARN record about dropped records (this run's and those a spool kept from earlier
     * runs), at most once per drop report interval unless {@code force}; the count is cleared only
     * once a broker confirmed it.
     */
    private void sendDropReport(boolean force) throws PublishException {
        long now = System.nanoTime();
        if (!force && dropReportSent && now - lastDropReportNanos < config.dropReportInterval().toNanos()) {
            return;
        }
        RecordBuffer.DropReport report = buffer.takeDropReport();
        if (report == null) {
            return;
        }
        boolean confirmed = false;
        try {
            entries.publish(List.of(notices.dropReport(report.total, "")), config.roundTimeout());
            confirmed = true;
        } finally {
            buffer.dropReportDone(report, confirmed);
        }
        dropsReported.addAndGet(report.total.total());
        sent.incrementAndGet();
        dropReportSent = true;
        lastDropReportNanos = now;
        status.warn("dqlog: " + report.total + ", because memory was full and the spool was "
                + (config.spoolDir() == null ? "not configured" : "full or unusable") + "; a WARN record of "
                + SenderConfig.DROPPED_RECORDS_LOGGER + " tells the central log", null);
    }

    /** Now and then, while idle: sends what spools of siblings and dead processes hold. */
    private void drainSiblings() throws PublishException {
        DiskSpool own = buffer.spool();
        long now = System.nanoTime();
        if (own == null || now - nextSiblingScanNanos < 0) {
            return;
        }
        nextSiblingScanNanos = now + SIBLING_SCAN_INTERVAL.toNanos();
        SiblingSpools siblings = new SiblingSpools(own.directory(), !config.isSpoolDirExplicit());
        SpoolDrainer drainer = new SpoolDrainer(publisher, status, config.host(), config.app()).batching(config.batching());
        for (Path dir : siblings.candidates()) {
            if (closing || buffer.memorySize() > 0) {
                return;
            }
            drainSibling(drainer, dir);
        }
    }

    private void drainSibling(SpoolDrainer drainer, Path dir) throws PublishException {
        try (DiskSpool sibling = DiskSpool.open(dir, Long.MAX_VALUE, new org.dqlog.core.spool.DropCounter(), status)) {
            if (sibling.isEmpty() && sibling.drops().snapshot().isEmpty()) {
                return;
            }
            SpoolDrainer.Result result = drainer.drain(sibling, SIBLING_SLICE, () -> closing || buffer.memorySize() > 0);
            sent.addAndGet(result.sent());
            if (result.sent() > 0) {
                status.info("dqlog: sent " + result + " from the spool " + dir + " that another process left");
            }
            if (result.remainingBytes() > 0) {
                nextSiblingScanNanos = System.nanoTime(); // more to do at the next idle moment
            }
        } catch (SpoolLockedException e) {
            // its process still runs and sends it itself
        } catch (PublishException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            errorReports.warn("dqlog: could not drain the spool " + dir + " (" + e.getMessage() + ")", null);
        }
    }

    /** Waits {@code delay} before the next round of connection attempts (the buffer spills meanwhile); returns early on close. */
    private void waitOffline(Duration delay) {
        try {
            closeRequested.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    /**
     * Delivers memory and the spool's backlog until the close deadline (connecting first if
     * need be), then spools or counts the rest; closes everything.
     */
    private void finish() {
        long deadline = closeDeadlineNanos != 0 ? closeDeadlineNanos
                : System.nanoTime() + config.shutdownTimeout().toNanos();
        if (!dead) {
            try {
                deliverUntil(deadline);
            } catch (PublishException | RuntimeException e) {
                // what is left goes to the spool or is counted lost below
            }
        }
        window.abandon();
        List<SpoolEntry> left = buffer.close();
        if (!left.isEmpty()) {
            lost.addAndGet(left.size());
            status.error("dqlog: " + left.size() + " record(s) could not be delivered within the shutdown timeout of "
                    + config.shutdownTimeout() + (config.spoolDir() == null ? " and there is no spool to keep them"
                    : " nor spooled") + "; they are lost", null);
        }
        publisher.close();
    }

    private void deliverUntil(long deadline) throws PublishException {
        if (!online) {
            if (buffer.memorySize() == 0 && !spoolHasWork()) {
                return;
            }
            publisher.connect(remaining(deadline));
            online = true;
        }
        sendDropReport(true);
        while (deadline - System.nanoTime() > 0) {
            RecordBuffer.Batch batch = buffer.next(config.batchMaxRecords(), config.batchMaxBytes(), true);
            if (batch == null) {
                window.flush(remaining(deadline));
                if (!buffer.spoolSettled()) {
                    // the spool still opening may hold an earlier run's backlog: a short run sends it too
                    try {
                        buffer.awaitWork(SPOOL_SETTLE_POLL);
                    } catch (InterruptedException e) {
                        // not kept: an interrupted thread would break the spool's file channels below
                        return;
                    }
                    continue;
                }
                return;
            }
            window.send(batch, remaining(deadline));
        }
        window.flush(remaining(deadline));
    }

    private boolean spoolHasWork() {
        DiskSpool s = buffer.spool();
        return s != null && s.hasUnread();
    }

    private DeadLetterFile deadLetterFile() {
        DiskSpool s = buffer.spool();
        Path dir = s != null ? s.directory() : config.spoolDir();
        return dir == null ? null : DeadLetterFile.besideSpool(dir);
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
