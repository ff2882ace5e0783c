package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.dqlog.core.Status;
import org.dqlog.core.spool.BoundedRecordQueue;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.spool.DropCounter;
import org.dqlog.core.spool.LevelClass;
import org.dqlog.core.spool.SharedSpools;
import org.dqlog.core.spool.SpoolBatch;
import org.dqlog.core.spool.SpoolEntry;

/**
 * The buffer between application threads and the sink (the sender thread): a bounded memory
 * queue, and a disk spool that its own thread ({@code dqlog-spool-<app>}) fills. Spilling never
 * waits on the network: the spill thread moves records from memory to disk whenever memory is
 * past its high-water mark (half the queue, in records or bytes) or the sink is offline, however
 * slow the broker. A record accepted by {@link #offer} is at every moment in memory, in the spool,
 * taken by the sink (which confirms it or gives it back), or counted as dropped; it is dropped
 * only when memory is full and the spool is full or unusable. The choice of spilling past a mark
 * over writing every record ahead is measured in docs/decisions.md.
 *
 * <p>The spill thread also opens the spool (never the application thread), reopens it with
 * backoff after an I/O error (closing the failed one and reporting it: the buffer is never
 * memory-only for good), forces it to the device every {@link SenderConfig#spoolSyncInterval()}
 * and keeps the drop count in it, so that the count outlives the process.
 *
 * <p>The sink {@link #next takes} batches: panics in memory first, then memory and the spool
 * (highest class first) in turn; and reports each batch {@link #delivered} or {@link #undelivered}.
 *
 * <p>Thread-safe: {@link #offer} from any number of application threads; {@link #next},
 * {@link #delivered}, {@link #undelivered}, {@link #takeDropReport} and {@link #close} from the
 * sink's thread only.
 */
final class RecordBuffer {

    /** Longest the spill thread sleeps between looks at the memory queue. */
    private static final long IDLE_PARK_NANOS = Duration.ofMillis(100).toNanos();

    private final SenderConfig config;
    private final Status status;
    private final SpoolLocator locator;
    private final DropCounter memoryDrops = new DropCounter();
    private final BoundedRecordQueue memory;
    private final int highWaterRecords;
    private final long highWaterBytes;
    private final ThrottledStatus spoolReports;
    private final Thread spillThread;
    private final Object dropLock = new Object();

    private volatile SharedSpools.Lease lease; // replaced under leaseLock, read without it
    private final Object leaseLock = new Object();
    private volatile boolean spillAll;
    private volatile boolean stopping;
    /** Set once the spool could not be opened at all (or none is configured): memory only until it can. */
    private volatile boolean spoolSettled;
    private boolean reportInFlight;
    private final java.util.concurrent.atomic.AtomicLong spilled = new java.util.concurrent.atomic.AtomicLong();

    // ---- spill thread only
    private final ReconnectBackoff reopenBackoff;
    private long nextOpenNanos;
    private long nextSyncNanos;

    RecordBuffer(SenderConfig config, Status status) {
        this.config = config;
        this.status = status;
        this.locator = new SpoolLocator(config, status);
        this.memory = new BoundedRecordQueue(config.queueCapacity(), config.queueMaxBytes(), memoryDrops);
        this.highWaterRecords = Math.max(1, config.queueCapacity() / 2);
        this.highWaterBytes = Math.max(1, config.queueMaxBytes() / 2);
        this.spoolReports = new ThrottledStatus(status, config.statusInterval());
        this.reopenBackoff = new ReconnectBackoff(config.reconnectDelayMin(), config.reconnectDelayMax());
        this.spillThread = new Thread(this::spillLoop, "dqlog-spool-" + config.app());
        spillThread.setDaemon(true);
        this.spoolSettled = config.spoolDir() == null;
    }

    void start() {
        if (config.spoolDir() != null) {
            spillThread.start();
        }
    }

    // ---- application threads

    /**
     * Queues an entry in memory, and wakes the spill thread past the high-water mark. When memory
     * is full (records come faster than the spill thread writes them), this thread encodes the
     * entry and appends it to the spool itself: a write to the page cache, never a wait on the
     * network, and the only way to keep "nothing dropped while the spool has room" however fast
     * records come. Only when the spool has no room (or is not open) does memory's drop policy
     * decide.
     */
    boolean offer(SpoolEntry entry) {
        if (memory.offerIfRoom(entry)) {
            if (overHighWater()) {
                LockSupport.unpark(spillThread);
            }
            return true;
        }
        LockSupport.unpark(spillThread);
        DiskSpool s = spool();
        // An interrupted thread's file write closes the channel (ClosedByInterruptException) and with
        // it the spool that every thread shares: leave such a record to memory and the spill thread.
        if (s != null && !Thread.currentThread().isInterrupted()) {
            if (!encoded(entry)) { // before taking the spool's lock, which the spill thread shares
                return false; // counted as dropped
            }
            try {
                if (s.appendIfRoom(entry)) {
                    spilled.incrementAndGet();
                    return true;
                }
            } catch (IOException e) {
                spoolFailed(s, e);
            }
        }
        return memory.offer(entry);
    }

    private boolean overHighWater() {
        return memory.size() > highWaterRecords || memory.bodyBytes() > highWaterBytes;
    }

    // ---- sink

    /** Sets whether everything in memory should go to disk at once (the sink is offline, or closing). */
    void spillAll(boolean value) {
        spillAll = value;
        if (value) {
            LockSupport.unpark(spillThread);
        }
    }

    /** The open spool, or null. */
    DiskSpool spool() {
        SharedSpools.Lease l = lease;
        return l == null ? null : l.spool();
    }

    /** True once the spool is open, or known not to be opened (none configured, or every attempt so far failed). */
    boolean spoolSettled() {
        return spoolSettled || lease != null;
    }

    /** Records written to the spool so far. */
    long spilled() {
        return spilled.get();
    }

    int memorySize() {
        return memory.size();
    }

    long memoryBytes() {
        return memory.bodyBytes();
    }

    /** Waits up to {@code timeout} for something in memory (or a wake-up); for an idle sink. */
    void awaitWork(Duration timeout) throws InterruptedException {
        memory.awaitNotEmpty(timeout);
    }

    /** Makes the sink's current or next {@link #awaitWork} return at once. */
    void wakeUp() {
        memory.wakeUp();
    }

    /**
     * The next batch to send, or null if there is nothing: panics in memory first, then memory or
     * the spool (highest class first) as {@code memoryFirst} says, each up to the batch bounds. The
     * sink alternates, so that neither a steady stream nor a large backlog starves the other; at
     * shutdown it takes memory first, since the spool survives the exit and memory does not.
     */
    Batch next(int maxRecords, long maxBytes, boolean memoryFirst) {
        Batch panics = nextPanics(maxRecords);
        if (panics != null) {
            return panics;
        }
        List<SpoolEntry> entries = new ArrayList<>();
        if (memoryFirst && memory.drainTo(entries, maxRecords, maxBytes) > 0) {
            return fromMemory(entries);
        }
        DiskSpool s = spool();
        if (s != null) {
            try {
                if (s.hasUnread()) {
                    SpoolBatch read = s.readBatch(maxRecords, maxBytes);
                    if (read != null) {
                        return new Batch(read.entries(), read);
                    }
                }
            } catch (IOException e) {
                spoolFailed(s, e);
            }
        }
        if (memory.drainTo(entries, maxRecords, maxBytes) > 0) {
            return fromMemory(entries);
        }
        return null;
    }

    /**
     * A batch of entries taken from memory, encoded here so that the sink never meets an entry
     * it cannot encode; such an entry is counted as dropped (never expected: the encoding makes a
     * note of a record it cannot encode). Null if none is left.
     */
    private Batch fromMemory(List<SpoolEntry> entries) {
        entries.removeIf(entry -> !encoded(entry));
        return entries.isEmpty() ? null : new Batch(entries, null);
    }

    /**
     * Encodes a captured entry, if not yet done; false (and the entry counted as dropped) if that
     * failed, which the encoding's last-resort note makes all but impossible (an
     * {@code OutOfMemoryError} while encoding the note itself).
     */
    private boolean encoded(SpoolEntry entry) {
        try {
            entry.bodyBytes();
            return true;
        } catch (Throwable e) {
            memoryDrops.record(entry); // needs only the level and panic flag, known without encoding
            spoolReports.error("dqlog: a record could not be encoded even as a note; counted as dropped", null);
            return false;
        }
    }

    /** The panics waiting in memory, up to {@code maxRecords}, or null if none; for the sink, to send them ahead of anything else. */
    Batch nextPanics(int maxRecords) {
        List<SpoolEntry> entries = new ArrayList<>();
        return memory.drainClassTo(entries, LevelClass.PANIC, maxRecords) > 0 ? fromMemory(entries) : null;
    }

    /** A broker confirmed the batch: it leaves the spool (if it came from there). */
    void delivered(Batch batch) {
        if (batch.fromSpool != null) {
            try {
                batch.fromSpool.spool().commit(batch.fromSpool);
            } catch (IOException e) {
                // confirmed anyway: the reopened spool sends it again, and the collector drops the duplicate
                spoolFailed(batch.fromSpool.spool(), e);
            }
        }
    }

    /** No broker confirmed the batch: it goes back to the spool, or to memory when there is no room on disk. */
    void undelivered(Batch batch) {
        if (batch.fromSpool != null) {
            batch.fromSpool.spool().giveBack(batch.fromSpool);
            return;
        }
        List<SpoolEntry> rest = spill(batch.entries);
        for (SpoolEntry entry : rest) {
            memory.offer(entry); // counted if memory is full too
        }
    }

    /** Entries that failed for good (refused by every broker): nothing more to do with them here. */
    void discard(Batch batch) {
        delivered(batch);
    }

    /**
     * The drops not yet reported (memory's and the spool's, which include those of earlier runs),
     * or null if none or a report is already in flight; the caller then calls
     * {@link #dropReportDone} with the outcome.
     */
    DropReport takeDropReport() {
        synchronized (dropLock) {
            if (reportInFlight) {
                return null;
            }
            DiskSpool s = spool();
            DropCounter.Snapshot fromMemory = memoryDrops.snapshot();
            DropCounter.Snapshot fromSpool = s == null ? null : s.drops().snapshot();
            DropCounter.Snapshot total = fromSpool == null ? fromMemory : fromMemory.plus(fromSpool);
            if (total.isEmpty()) {
                return null;
            }
            reportInFlight = true;
            return new DropReport(total, fromMemory, s, fromSpool);
        }
    }

    /** A broker confirmed the report (the counts reported are taken away), or not (they stay for the next one). */
    void dropReportDone(DropReport report, boolean confirmed) {
        synchronized (dropLock) {
            reportInFlight = false;
            if (confirmed) {
                memoryDrops.subtract(report.fromMemory);
                if (report.spool != null) {
                    report.spool.drops().subtract(report.fromSpool);
                }
            }
        }
    }

    /** Drops counted so far and not yet reported. */
    long unreportedDrops() {
        DiskSpool s = spool();
        return memoryDrops.snapshot().total() + (s == null ? 0 : s.drops().snapshot().total());
    }

    /**
     * Stops the spill thread, moves what is left in memory to the spool (or returns it when it
     * cannot be stored), forces and releases the spool. For the sink, at the very end.
     *
     * @return the entries that could be neither spooled nor counted in a spool (no spool open)
     */
    List<SpoolEntry> close() {
        stopping = true;
        LockSupport.unpark(spillThread);
        if (spillThread.isAlive() && Thread.currentThread() != spillThread) {
            try {
                spillThread.join(config.shutdownTimeout().toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lease == null && config.spoolDir() != null) {
            openForShutdown();
        }
        List<SpoolEntry> left = new ArrayList<>();
        memory.drainTo(left, Integer.MAX_VALUE, Long.MAX_VALUE);
        List<SpoolEntry> lost = spill(left);
        SharedSpools.Lease l = lease;
        lease = null;
        if (l != null) {
            if (!lost.isEmpty()) {
                // the spool is full and memory ends with the process: dropped, and counted in the
                // spool, so that the WARN record about them reaches the central log after the exit
                for (SpoolEntry entry : lost) {
                    l.spool().drops().record(entry);
                }
                status.error("dqlog: the spool at " + l.spool().directory() + " is full; " + lost.size()
                        + " record(s) still in memory at shutdown were dropped (counted in the spool: the next"
                        + " sender or 'dqlog spool drain' reports them to the central log)", null);
                lost = new ArrayList<>();
            }
            try {
                transferDrops(l.spool());
                l.spool().force();
            } catch (IOException e) {
                status.warn("dqlog: could not force the spool at " + l.spool().directory() + " at shutdown", e);
            }
            if (!l.spool().isEmpty()) {
                // Not lost, but not sent either: a short-lived program would otherwise leave them
                // without a word, and they travel only when something sends that spool.
                Path dir = l.spool().directory();
                status.warn("dqlog: records not yet sent wait in the spool at " + dir + " (" + l.spool().sizeBytes()
                        + " bytes of segments); the next program using that spool directory sends them, or 'dqlog spool drain "
                        + dir + "' now", null);
            }
            try {
                l.close();
            } catch (IOException e) {
                status.warn("dqlog: closing the spool at " + l.spool().directory() + " failed", e);
            }
        }
        return lost;
    }

    /** The spool never opened (a very short run, or a failure): one last try, so that memory is not lost. */
    private void openForShutdown() {
        try {
            lease = locator.open();
        } catch (IOException | RuntimeException e) {
            status.error("dqlog: cannot open the spool at " + config.spoolDir() + " at shutdown (" + e.getMessage() + ")", null);
        }
    }

    // ---- spill thread

    private void spillLoop() {
        nextSyncNanos = System.nanoTime() + config.spoolSyncInterval().toNanos();
        while (!stopping) {
            try {
                DiskSpool s = spool();
                if (s == null) {
                    s = tryOpen();
                }
                long pause = IDLE_PARK_NANOS;
                if (s != null) {
                    if (!spillWhileNeeded(s)) {
                        pause = IDLE_PARK_NANOS; // the spool is full: look again later, keep the rest in memory
                    }
                    syncIfDue(s);
                }
                LockSupport.parkNanos(this, pause);
            } catch (RuntimeException | Error e) {
                spoolReports.error("dqlog: unexpected failure in the spool thread; retrying", e);
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
    }

    private DiskSpool tryOpen() {
        long now = System.nanoTime();
        if (nextOpenNanos != 0 && now - nextOpenNanos < 0) {
            return null;
        }
        try {
            SharedSpools.Lease opened = locator.open();
            synchronized (leaseLock) {
                lease = opened;
            }
            reopenBackoff.reset();
            nextOpenNanos = 0;
            return opened.spool();
        } catch (IOException | RuntimeException e) {
            spoolSettled = true;
            Duration delay = reopenBackoff.next();
            nextOpenNanos = now + delay.toNanos();
            spoolReports.error("dqlog: cannot open the spool at " + config.spoolDir() + " (" + e.getMessage()
                    + "); records wait in memory and the spool is tried again in " + delay.toMillis() + " ms", null);
            return null;
        }
    }

    /** @return false if the spool had no room for some entries (they stay in memory) */
    private boolean spillWhileNeeded(DiskSpool s) {
        List<SpoolEntry> chunk = new ArrayList<>();
        while (!stopping && (spillAll ? memory.size() > 0 : overHighWater())) {
            chunk.clear();
            memory.drainTo(chunk, config.batchMaxRecords(), config.batchMaxBytes());
            if (chunk.isEmpty()) {
                return true;
            }
            List<SpoolEntry> rest = spill(chunk);
            if (!rest.isEmpty()) {
                for (SpoolEntry entry : rest) {
                    memory.offer(entry);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * Appends what fits without evicting anything; returns the rest (no spool, no room, or an I/O
     * error, which closes the spool for a reopen).
     */
    private List<SpoolEntry> spill(List<SpoolEntry> entries) {
        DiskSpool s = spool();
        if (s == null || entries.isEmpty()) {
            return entries;
        }
        List<SpoolEntry> rest = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            SpoolEntry entry = entries.get(i);
            if (!rest.isEmpty()) {
                rest.add(entry);
                continue;
            }
            if (!encoded(entry)) {
                continue; // counted as dropped; the rest of the chunk goes on
            }
            try {
                if (s.appendIfRoom(entry)) { // encoded above, outside the spool's lock, which application threads share
                    spilled.incrementAndGet();
                } else {
                    rest.add(entry);
                }
            } catch (IOException e) {
                spoolFailed(s, e);
                rest.addAll(entries.subList(i, entries.size())); // this one maybe stored, maybe not: keep it
                return rest;
            }
        }
        return rest;
    }

    private void syncIfDue(DiskSpool s) {
        long now = System.nanoTime();
        if (now - nextSyncNanos < 0) {
            return;
        }
        nextSyncNanos = now + config.spoolSyncInterval().toNanos();
        try {
            transferDrops(s);
            s.force();
        } catch (IOException e) {
            spoolFailed(s, e);
        }
    }

    /** Moves memory's drop count into the spool's, where it is persisted; not while a report is in flight. */
    private void transferDrops(DiskSpool s) {
        synchronized (dropLock) {
            if (reportInFlight) {
                return;
            }
            DropCounter.Snapshot fromMemory = memoryDrops.snapshot();
            s.drops().add(fromMemory);
            memoryDrops.subtract(fromMemory);
        }
    }

    /**
     * The spool failed (a full disk, a segment removed under it): close it, say so, and let the
     * spill thread open it again after a backoff; meanwhile records wait in memory.
     */
    void spoolFailed(DiskSpool failed, IOException e) {
        SharedSpools.Lease l;
        // Application threads and the spill thread may report the same failure at once; only the
        // first closes the lease, and a late report never drops a lease opened since.
        synchronized (leaseLock) {
            l = lease;
            if (l == null || l.spool() != failed) {
                return;
            }
            lease = null;
        }
        nextOpenNanos = System.nanoTime() + config.reconnectDelayMin().toNanos();
        spoolReports.error("dqlog: the spool at " + failed.directory() + " failed (" + e.getMessage()
                + "); closed it, records wait in memory, and it is opened again shortly", e);
        try {
            synchronized (dropLock) {
                memoryDrops.add(failed.drops().snapshot()); // keep the count: the spool's copy may not be written
                failed.drops().subtract(failed.drops().snapshot());
            }
            l.close();
        } catch (IOException ignored) {
            // already reported the failure that matters
        }
    }

    /** Entries taken by the sink, and where they came from. */
    static final class Batch {
        final List<SpoolEntry> entries;
        final SpoolBatch fromSpool;

        Batch(List<SpoolEntry> entries, SpoolBatch fromSpool) {
            this.entries = entries;
            this.fromSpool = fromSpool;
        }
    }

    /** Drop counts being reported: what to take away once a broker confirmed the WARN record. */
    static final class DropReport {
        final DropCounter.Snapshot total;
        final DropCounter.Snapshot fromMemory;
        final DiskSpool spool;
        final DropCounter.Snapshot fromSpool;

        DropReport(DropCounter.Snapshot total, DropCounter.Snapshot fromMemory, DiskSpool spool,
                   DropCounter.Snapshot fromSpool) {
            this.total = total;
            this.fromMemory = fromMemory;
            this.spool = spool;
            this.fromSpool = fromSpool;
        }
    }
}
