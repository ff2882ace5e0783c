package org.dqlog.core.spool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory queue between application threads and the sender thread, bounded by entry count
 * and by total {@link SpoolEntry#memoryBytes() memory bytes} (the body's length, or for a record
 * not yet encoded the estimate of what it holds) so that an appender's memory stays within its
 * configuration.
 *
 * <p>{@link #offer} never blocks and never throws. When the queue is full it evicts the oldest
 * entry of the lowest {@link LevelClass} present, but only for a new entry of the same or a higher
 * class; otherwise the new entry is the one dropped. It never evicts anything for an entry that
 * cannot fit even after every entry of its class and below is gone. Every drop is counted in the
 * {@link DropCounter}.
 *
 * <p>Entries leave in arrival order across all classes (what a reader of the log expects); only
 * eviction looks at classes.
 *
 * <p>Thread-safe for any number of producers and one consumer (the sender thread). A single lock
 * guards a few deque operations; nothing slow happens under it.
 */
public final class BoundedRecordQueue {

    public static final int DEFAULT_CAPACITY = 10_000;
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;

    private final int capacity;
    private final long maxBytes;
    private final DropCounter drops;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<Node>[] byClass = new ArrayDeque[LevelClass.COUNT];
    private final long[] bytesByClass = new long[LevelClass.COUNT];
    private long nextSequence;
    // volatile so that size() and bodyBytes() can be read without the lock, on every offer
    private volatile int size;
    private volatile long bytes;
    private boolean wakeUpPending;

    /**
     * @param capacity most entries held at once (at least 1)
     * @param maxBytes most memory bytes held at once (at least 1); a larger entry is dropped
     * @param drops where drops are counted; may be shared with a {@link DiskSpool}
     */
    public BoundedRecordQueue(int capacity, long maxBytes, DropCounter drops) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.drops = Objects.requireNonNull(drops, "drops");
        for (int i = 0; i < byClass.length; i++) {
            byClass[i] = new ArrayDeque<>();
        }
    }

    /**
     * Adds {@code entry}, evicting older entries of a lower or equal class if the queue is full.
     *
     * @return true if the entry was queued; false if it was dropped (and counted), or null
     */
    public boolean offer(SpoolEntry entry) {
        if (entry == null) {
            return false;
        }
        lock.lock();
        try {
            int entryClass = entry.levelClass().ordinal();
            if (!makeRoom(entry.memoryBytes(), entryClass)) {
                drops.record(entry);
                return false;
            }
            add(entry);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code entry} only if it fits without evicting anything.
     *
     * @return false if the queue is full (nothing evicted, nothing counted)
     */
    public boolean offerIfRoom(SpoolEntry entry) {
        lock.lock();
        try {
            if (size + 1 > capacity || bytes + entry.memoryBytes() > maxBytes) {
                return false;
            }
            add(entry);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void add(SpoolEntry entry) {
        int entryClass = entry.levelClass().ordinal();
        Node node = new Node(nextSequence++, entry);
        byClass[entryClass].addLast(node);
        bytesByClass[entryClass] += node.bytes;
        bytes += node.bytes;
        size++;
        if (size == 1) {
            notEmpty.signal();
        }
    }

    /** Decides first whether evicting can make room, so that nothing is evicted in vain. */
    private boolean makeRoom(long entryBytes, int entryClass) {
        if (entryBytes > maxBytes) {
            return false;
        }
        int evictableCount = 0;
        long evictableBytes = 0;
        for (int c = 0; c <= entryClass; c++) {
            evictableCount += byClass[c].size();
            evictableBytes += bytesByClass[c];
        }
        if (size - evictableCount + 1 > capacity || bytes - evictableBytes + entryBytes > maxBytes) {
            return false;
        }
        while (size + 1 > capacity || bytes + entryBytes > maxBytes) {
            SpoolEntry evicted = removeFirst(lowestNonEmptyClass());
            drops.record(evicted);
        }
        return true;
    }

    private int lowestNonEmptyClass() {
        for (int c = 0; c < byClass.length; c++) {
            if (!byClass[c].isEmpty()) {
                return c;
            }
        }
        throw new IllegalStateException("queue is empty");
    }

    private SpoolEntry removeFirst(int levelClass) {
        Node node = byClass[levelClass].removeFirst();
        bytesByClass[levelClass] -= node.bytes;
        bytes -= node.bytes;
        size--;
        return node.entry;
    }

    /** The oldest entry of any class, or null if the queue is empty. */
    public SpoolEntry poll() {
        lock.lock();
        try {
            return size == 0 ? null : removeFirst(oldestClass());
        } finally {
            lock.unlock();
        }
    }

    /** The class whose head arrived first; five comparisons. */
    private int oldestClass() {
        int oldest = -1;
        long oldestSequence = Long.MAX_VALUE;
        for (int c = 0; c < byClass.length; c++) {
            Node head = byClass[c].peekFirst();
            if (head != null && head.sequence < oldestSequence) {
                oldest = c;
                oldestSequence = head.sequence;
            }
        }
        return oldest;
    }

    /**
     * Moves the oldest entries into {@code target}, in arrival order, until {@code maxEntries}
     * entries or {@code maxBytes} memory bytes; the first entry moves even if it alone is larger.
     *
     * @return the number of entries moved
     */
    public int drainTo(Collection<? super SpoolEntry> target, int maxEntries, long maxBytes) {
        lock.lock();
        try {
            int moved = 0;
            long movedBytes = 0;
            while (size > 0 && moved < maxEntries) {
                int c = oldestClass();
                long next = byClass[c].peekFirst().bytes;
                if (moved > 0 && movedBytes + next > maxBytes) {
                    break;
                }
                target.add(removeFirst(c));
                moved++;
                movedBytes += next;
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the oldest entries of {@code levelClass} only into {@code target}, up to {@code maxEntries}:
     * panics jump ahead of everything else the sender has to send.
     *
     * @return the number of entries moved
     */
    public int drainClassTo(Collection<? super SpoolEntry> target, LevelClass levelClass, int maxEntries) {
        lock.lock();
        try {
            int moved = 0;
            int c = levelClass.ordinal();
            while (!byClass[c].isEmpty() && moved < maxEntries) {
                target.add(removeFirst(c));
                moved++;
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /** True if an entry of {@code levelClass} is queued; without waiting on the queue's lock for long. */
    public boolean holds(LevelClass levelClass) {
        lock.lock();
        try {
            return !byClass[levelClass.ordinal()].isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the queue holds an entry, {@code timeout} passed, or {@link #wakeUp()} was
     * called (during the wait or since the last wait returned).
     *
     * @return true if the queue is not empty
     */
    public boolean awaitNotEmpty(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (size == 0 && !wakeUpPending) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            wakeUpPending = false;
            return size > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the current or the next {@link #awaitNotEmpty} return at once, for shutdown; a wake-up
     * that comes before the sender thread waits is kept, so it cannot be missed. The sender thread
     * should be woken this way rather than interrupted: an interrupt closes any
     * {@code FileChannel} the thread is using, the {@link DiskSpool}'s included.
     */
    public void wakeUp() {
        lock.lock();
        try {
            wakeUpPending = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Entries held now; without locking. */
    public int size() {
        return size;
    }

    /** Body bytes held now; without locking. */
    public long bodyBytes() {
        return bytes;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public int capacity() {
        return capacity;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public DropCounter drops() {
        return drops;
    }

    private static final class Node {
        final long sequence;
        final SpoolEntry entry;
        /** What the queue counted for the entry when it took it (its memory bytes may shrink or grow once encoded). */
        final long bytes;

        Node(long sequence, SpoolEntry entry) {
            this.sequence = sequence;
            this.entry = entry;
            this.bytes = entry.memoryBytes();
        }
    }
}
