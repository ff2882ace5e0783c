package org.dqlog.core.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.dqlog.core.Status;

/**
 * Where the sender keeps records while no broker is reachable: a directory that survives a
 * restart, or a kill, of the application, and is drained by the next process that opens it.
 *
 * <h2>Layout</h2>
 * One sequence of append-only segment files per {@link LevelClass} ({@code c<class>-<sequence>.seg},
 * records framed as {@link RecordFormat} describes, each with a CRC32C), a small marker
 * {@code cursor} saying up to where each class was acknowledged, and a {@code lock} file.
 * A segment is rolled at {@code segmentMaxBytes} (a larger record gets a segment of its own) and
 * deleted once it is acknowledged completely, or evicted.
 *
 * <h2>Delivery</h2>
 * {@link #readBatch} returns the oldest unread entries of the highest class that has any (panics
 * first), in append order within that class. Entries leave the disk only when their batch is
 * {@link #commit committed}, that is after the broker confirmed them: at-least-once. Several batches
 * may be in flight (read, not yet committed), committed in any order: the marker only moves past
 * a batch once it and every earlier one of its class are committed. {@link #giveBack} makes one
 * unconfirmed batch readable again (after a failover), {@link #rewind()} every one.
 *
 * <h2>Durability</h2>
 * {@link #append(List)} writes through a {@link FileChannel} into the page cache, which survives
 * a kill of the process; {@link #force()}, called on a timer by the buffer (not per append),
 * makes it survive a crash of the host too, so such a crash can lose the appends of the last
 * interval. The marker is written to a temporary file, forced and renamed on every commit that
 * moves it. A crash can therefore leave at most a torn last record (detected by its length and
 * checksum, reported, cut off) and a marker that is one commit old (those entries are sent again,
 * and the collector drops the duplicates). The drop count lives beside them ({@link DropFile}),
 * written by {@link #force()} and {@link #close()}, so that a gap is reported even when the
 * process that dropped the records exited while offline.
 *
 * <h2>Owner only</h2>
 * The directory is 0700 and every file 0600 ({@link SpoolFiles}); a directory of another user is
 * refused with {@link SpoolNotOwnedException}.
 *
 * <h2>Damage</h2>
 * A torn tail, a record that fails its checksum, and bytes without an intact header are skipped,
 * every complete record around them is kept, and each is reported once through {@link Status},
 * with the number of damaged records seen so far ({@link #damagedRecords()}).
 *
 * <h2>Size bound</h2>
 * The segment files together never exceed {@code spoolMaxBytes}, after every call; the directory
 * holds besides only {@code cursor} ({@value CursorFile#BYTES} bytes, twice that during a commit)
 * and {@code lock} (the owner's pid), so it stays below {@code spoolMaxBytes + }{@value #DIRECTORY_OVERHEAD_BYTES}.
 * To make room the spool deletes the oldest segment of the lowest class present, but only for an
 * entry of the same or a higher class, and only if deleting segments of those classes can make
 * room at all; otherwise the new entry is dropped. The unit of eviction is a whole segment (at
 * most {@code segmentMaxBytes}, by default 1/16 of the spool), coarser than the memory queue's
 * single entries. Every record dropped is counted in the {@link DropCounter}, including records
 * in an evicted segment that were read but not yet committed (they may have been delivered too).
 *
 * <h2>One process</h2>
 * {@link #open} takes an exclusive {@link FileLock} on {@code lock} and throws
 * {@link SpoolLockedException} if another process (or another instance in this JVM) holds it. The
 * operating system releases the lock when its holder dies, so the next process adopts the spool.
 *
 * <p>Thread-safe: every method is synchronized. Every method but the getters does disk I/O, so
 * call them from the sender thread, never from an application thread. Do not interrupt a thread
 * while it is in a call: an interrupt closes the channel it is using (the spool reopens it, but
 * that call fails).
 */
public final class DiskSpool implements Closeable {

    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
    /** Smallest default segment size, whatever the spool size. */
    public static final long MIN_DEFAULT_SEGMENT_BYTES = 64L * 1024;
    /** Largest default segment size, whatever the spool size. */
    public static final long MAX_DEFAULT_SEGMENT_BYTES = 16L * 1024 * 1024;
    /** Bound of the files besides the segments: the marker (twice, during a commit) and the lock. */
    public static final int DIRECTORY_OVERHEAD_BYTES = 256;

    static final String LOCK_FILE = "lock";
    /** Spool directories open in this JVM (real paths); the file lock only keeps other processes out. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final long spoolMaxBytes;
    private final long segmentMaxBytes;
    private final DropCounter drops;
    private final Status status;
    private final FileChannel lockChannel;
    private final FileLock lock;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final TreeMap<Long, Segment>[] segments = new TreeMap[LevelClass.COUNT];
    /** The segment each class appends to, or null: a new one is created on the next append. */
    private final Segment[] appending = new Segment[LevelClass.COUNT];
    private final long[] nextSequence = new long[LevelClass.COUNT];
    private SpoolPosition[] committed;
    private final SpoolPosition[] read = new SpoolPosition[LevelClass.COUNT];
    /** Batches read and neither committed nor given back, per class, by start: commits never pass the oldest. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final TreeMap<SpoolPosition, SpoolBatch>[] outstanding = new TreeMap[LevelClass.COUNT];
    /** Batches committed out of order, per class (start to end), until the marker reaches them. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final TreeMap<SpoolPosition, SpoolPosition>[] confirmed = new TreeMap[LevelClass.COUNT];
    private DropCounter.Snapshot persistedDrops;
    private long totalBytes;
    private long damagedRecords;
    private boolean closed;

    private DiskSpool(Path directory, long spoolMaxBytes, long segmentMaxBytes, DropCounter drops, Status status,
                      FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.spoolMaxBytes = spoolMaxBytes;
        this.segmentMaxBytes = segmentMaxBytes;
        this.drops = drops;
        this.status = status;
        this.lockChannel = lockChannel;
        this.lock = lock;
        for (int c = 0; c < LevelClass.COUNT; c++) {
            segments[c] = new TreeMap<>();
            outstanding[c] = new TreeMap<>();
            confirmed[c] = new TreeMap<>();
        }
    }

    /** Opens (creating if needed) the spool in {@code directory} with {@link #defaultSegmentMaxBytes} segments. */
    public static DiskSpool open(Path directory, long spoolMaxBytes, DropCounter drops, Status status) throws IOException {
        return open(directory, spoolMaxBytes, defaultSegmentMaxBytes(spoolMaxBytes), drops, status);
    }

    /**
     * Opens (creating if needed) the spool in {@code directory}, locks it, and recovers what an
     * earlier process left: every complete record not yet committed becomes readable, damage is
     * reported and cut off, and a spool larger than {@code spoolMaxBytes} is cut down by the drop
     * policy. Reads every segment's headers once, so it takes time with a large spool: call it
     * from the sender thread.
     *
     * @throws SpoolLockedException if another process or instance uses the directory
     * @throws IOException if the directory cannot be created, locked or read
     */
    public static DiskSpool open(Path directory, long spoolMaxBytes, long segmentMaxBytes, DropCounter drops,
                                 Status status) throws IOException {
        if (spoolMaxBytes < 1 || segmentMaxBytes < 1) {
            throw new IllegalArgumentException("spoolMaxBytes and segmentMaxBytes must be positive, were "
                    + spoolMaxBytes + " and " + segmentMaxBytes);
        }
        Objects.requireNonNull(drops, "drops");
        Objects.requireNonNull(status, "status");
        SpoolFiles.prepareDirectory(directory, false);
        Path dir = directory.toRealPath();
        // Checked before the lock file is even opened: on Linux, closing any channel of a file
        // releases every lock this process holds on it, so a second channel must never exist.
        if (!OPEN_DIRECTORIES.add(dir)) {
            throw new SpoolLockedException(dir, "another DiskSpool of this process");
        }
        FileChannel lockChannel = null;
        DiskSpool spool = null;
        try {
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE), SpoolFiles.ownerOnlyFile());
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                throw new SpoolLockedException(dir, "another process (" + holderOf(lockChannel) + ")");
            }
            writeHolder(lockChannel);
            spool = new DiskSpool(dir, spoolMaxBytes, segmentMaxBytes, drops, status, lockChannel, lock);
            spool.recover();
            return spool;
        } catch (IOException | RuntimeException | Error e) {
            if (spool != null) {
                spool.closeQuietly();
            } else {
                if (lockChannel != null) {
                    lockChannel.close();
                }
                OPEN_DIRECTORIES.remove(dir);
            }
            throw e;
        }
    }

    /** True if a DiskSpool of this process has {@code directory} open (for {@link SpoolSummary}, which must not probe its lock). */
    static boolean isOpenInThisProcess(Path directory) throws IOException {
        return OPEN_DIRECTORIES.contains(directory.toRealPath());
    }

    /** Segments of 1/16 of the spool, within [{@value #MIN_DEFAULT_SEGMENT_BYTES}, {@value #MAX_DEFAULT_SEGMENT_BYTES}]. */
    public static long defaultSegmentMaxBytes(long spoolMaxBytes) {
        return Math.max(MIN_DEFAULT_SEGMENT_BYTES, Math.min(MAX_DEFAULT_SEGMENT_BYTES, spoolMaxBytes / 16));
    }

    private static String holderOf(FileChannel lockChannel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int length = Math.max(0, lockChannel.read(buffer, 0));
            String holder = new String(buffer.array(), 0, length, StandardCharsets.UTF_8).trim();
            return holder.isEmpty() ? "pid unknown" : holder;
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    /** For the message of the next process that finds the directory locked. */
    private static void writeHolder(FileChannel lockChannel) throws IOException {
        lockChannel.truncate(0);
        ByteBuffer holder = ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
        long position = 0;
        while (holder.hasRemaining()) {
            position += lockChannel.write(holder, position);
        }
    }

    private void recover() throws IOException {
        committed = CursorFile.read(directory, status);
        Files.deleteIfExists(directory.resolve(CursorFile.TEMPORARY_NAME));
        Files.deleteIfExists(directory.resolve(DropFile.TEMPORARY_NAME));
        DropCounter.Snapshot adoptedDrops = DropFile.read(directory, status);
        drops.add(adoptedDrops);
        persistedDrops = adoptedDrops;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                SpoolFiles.tighten(file);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.seg")) {
            for (Path file : files) {
                Segment segment = Segment.existing(file);
                if (segment != null) {
                    segments[segment.levelClass].put(segment.sequence, segment);
                }
            }
        }
        for (int c = 0; c < LevelClass.COUNT; c++) {
            long highestSequence = committed[c].sequence;
            for (Segment segment : new ArrayList<>(segments[c].values())) {
                highestSequence = Math.max(highestSequence, segment.sequence);
                long start = unconsumedStart(segment);
                if (start < segment.sizeBytes) {
                    recoverSegment(segment, start);
                    // its reader is opened again when the segment's turn comes
                    segment.close();
                }
                if (start >= segment.sizeBytes) {
                    // acknowledged completely before the last process could delete it, or empty
                    segments[c].remove(segment.sequence);
                    segment.delete();
                }
            }
            // never reuse a sequence number the marker may point into
            nextSequence[c] = highestSequence + 1;
            read[c] = committed[c];
        }
        for (TreeMap<Long, Segment> ofClass : segments) {
            for (Segment segment : ofClass.values()) {
                totalBytes += segment.sizeBytes;
            }
        }
        if (totalBytes > spoolMaxBytes) {
            makeRoom(0, LevelClass.PANIC.ordinal());
        }
        if (totalBytes > 0) {
            status.info("dqlog spool " + directory + ": adopted " + totalBytes
                    + " bytes of records left by an earlier run; they are sent once a broker is reachable");
        }
        if (!adoptedDrops.isEmpty()) {
            status.info("dqlog spool " + directory + ": an earlier run " + adoptedDrops
                    + "; a WARN record reports it once a broker is reachable");
        }
    }

    /** Checks the headers from {@code start} on, reports damage, and cuts off a torn tail. */
    private void recoverSegment(Segment segment, long start) throws IOException {
        long end = segment.sizeBytes;
        long position = start;
        FileChannel channel = segment.reader();
        while (position < end) {
            SegmentScanner.Step step = SegmentScanner.step(channel, position, end, false, 0);
            if (step.kind == SegmentScanner.Kind.TORN) {
                reportDamage(segment, step, "an incomplete record at the end (" + (end - position)
                        + " bytes, left by a crash or a truncated file) was cut off; every complete record before it was kept");
                segment.truncate(position);
                return;
            }
            if (step.kind == SegmentScanner.Kind.UNREADABLE) {
                reportUnreadable(segment, step);
            }
            position = step.next;
        }
    }

    private long unconsumedStart(Segment segment) {
        SpoolPosition acknowledged = committed[segment.levelClass];
        if (segment.sequence < acknowledged.sequence) {
            return segment.sizeBytes;
        }
        return segment.sequence == acknowledged.sequence ? acknowledged.offset : 0;
    }

    /** Appends one entry; see {@link #append(List)}. */
    public boolean append(SpoolEntry entry) throws IOException {
        return append(Collections.singletonList(entry)) == 1;
    }

    /**
     * Appends {@code entries} in order, making room by the drop policy. The data is in the page
     * cache when it returns, so it survives a kill of the process; {@link #force()} (the buffer
     * calls it on a timer) makes it survive a crash of the host. An entry larger than the whole
     * spool, or one for which no room can be made, is dropped and counted.
     *
     * @return the number of entries stored (the others were dropped and counted)
     * @throws IOException if writing failed; entries of this call may then be stored or not
     *     (at-least-once: the caller may append them again, or count them dropped)
     */
    public synchronized int append(List<SpoolEntry> entries) throws IOException {
        ensureOpen();
        int stored = 0;
        for (SpoolEntry entry : entries) {
            if (appendOne(entry) != null) {
                stored++;
            }
        }
        return stored;
    }

    /**
     * Appends {@code entry} if it fits without evicting anything (see {@link #hasRoomFor}).
     *
     * @return false if there is no room (nothing written, nothing counted)
     * @throws IOException if writing failed; the entry may then be stored or not
     */
    public synchronized boolean appendIfRoom(SpoolEntry entry) throws IOException {
        ensureOpen();
        if (!hasRoomFor(entry)) {
            return false;
        }
        appendOne(entry);
        return true;
    }

    /**
     * True if {@code entry} fits without evicting anything: the buffer spills only then, and keeps
     * the entry in memory otherwise, so that the spool drops nothing while memory has room.
     */
    public synchronized boolean hasRoomFor(SpoolEntry entry) {
        return !closed && totalBytes + RecordFormat.framedBytes(entry) <= spoolMaxBytes;
    }

    /**
     * Makes what was appended durable against a crash of the host, and writes the drop count
     * if it changed since the last time. Called on a timer, not per append: a crash of the host
     * can lose the appends of the last interval (a kill of the process loses nothing).
     */
    public synchronized void force() throws IOException {
        ensureOpen();
        for (Segment segment : appending) {
            if (segment != null) {
                segment.force();
            }
        }
        DropCounter.Snapshot now = drops.snapshot();
        if (!sameCounts(now, persistedDrops)) {
            DropFile.write(directory, now);
            persistedDrops = now;
        }
    }

    private static boolean sameCounts(DropCounter.Snapshot a, DropCounter.Snapshot b) {
        return a.total() == b.total() && a.panics() == b.panics()
                && java.util.Arrays.equals(a.perLevel(), b.perLevel()) && a.lastDropMillis() == b.lastDropMillis();
    }

    private Segment appendOne(SpoolEntry entry) throws IOException {
        long framedBytes = RecordFormat.framedBytes(entry);
        int c = entry.levelClass().ordinal();
        if (framedBytes > spoolMaxBytes || !makeRoom(framedBytes, c)) {
            drops.record(entry);
            return null;
        }
        Segment segment = appending[c];
        if (segment != null && segment.sizeBytes > 0 && segment.sizeBytes + framedBytes > segmentMaxBytes) {
            segment.seal();
            segment = null;
        }
        if (segment == null) {
            segment = Segment.create(directory, c, nextSequence[c]++);
            segments[c].put(segment.sequence, segment);
            appending[c] = segment;
        }
        segment.append(RecordFormat.encode(entry), framedBytes);
        totalBytes += framedBytes;
        return segment;
    }

    /**
     * Evicts the oldest segments of the lowest classes until {@code neededBytes} more fit, if that
     * is possible by evicting classes up to {@code entryClass} only; evicts nothing otherwise.
     */
    private boolean makeRoom(long neededBytes, int entryClass) throws IOException {
        if (totalBytes + neededBytes <= spoolMaxBytes) {
            return true;
        }
        long evictableBytes = 0;
        for (int c = 0; c <= entryClass; c++) {
            evictableBytes += bytesOf(c);
        }
        if (totalBytes - evictableBytes + neededBytes > spoolMaxBytes) {
            return false;
        }
        while (totalBytes + neededBytes > spoolMaxBytes) {
            evict(oldestSegmentOfLowestClass());
        }
        return true;
    }

    private long bytesOf(int levelClass) {
        long bytes = 0;
        for (Segment segment : segments[levelClass].values()) {
            bytes += segment.sizeBytes;
        }
        return bytes;
    }

    private Segment oldestSegmentOfLowestClass() {
        for (TreeMap<Long, Segment> ofClass : segments) {
            if (!ofClass.isEmpty()) {
                return ofClass.firstEntry().getValue();
            }
        }
        throw new IllegalStateException("spool is empty");
    }

    /** Deletes a segment, counting every record in it not yet committed as dropped. */
    private void evict(Segment segment) throws IOException {
        int c = segment.levelClass;
        countDropped(segment);
        segments[c].remove(segment.sequence);
        if (appending[c] == segment) {
            appending[c] = null;
        }
        totalBytes -= segment.sizeBytes;
        segment.delete();
        // the marker on disk may still point into the deleted segment; that reads as "from the next
        // segment on", and the deleted sequence number is never used again
        SpoolPosition after = new SpoolPosition(segment.sequence + 1, 0);
        outstanding[c].headMap(after).clear(); // their records were just counted as dropped
        confirmed[c].headMap(after).clear();
        committed[c] = SpoolPosition.later(committed[c], after);
        read[c] = SpoolPosition.later(read[c], after);
    }

    private void countDropped(Segment segment) {
        long position = unconsumedStart(segment);
        try {
            FileChannel channel = segment.reader();
            while (position < segment.sizeBytes) {
                SegmentScanner.Step step = SegmentScanner.step(channel, position, segment.sizeBytes, false, 0);
                if (step.kind == SegmentScanner.Kind.RECORD) {
                    drops.record(step.header.level, step.header.panic);
                }
                position = step.next;
            }
        } catch (IOException e) {
            status.warn("dqlog spool " + directory + ": could not count the records dropped with "
                    + segment.fileName(), e);
        }
    }

    /**
     * Reads the oldest unread entries of the highest class that has any, up to {@code maxEntries}
     * entries and about {@code maxBytes} bytes (body plus id; the first entry is returned whatever
     * its size). The entries stay on disk until the batch is {@link #commit committed}; a further
     * call returns the entries after them.
     *
     * @return the batch, or null if every entry has been read; a batch may be empty if it only
     *     covered damaged records (which are reported): commit it like any other
     */
    public synchronized SpoolBatch readBatch(int maxEntries, long maxBytes) throws IOException {
        ensureOpen();
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        for (int c = LevelClass.COUNT - 1; c >= 0; c--) {
            SpoolPosition start = firstUnconsumed(c, read[c]);
            if (start != null) {
                return readFrom(c, start, maxEntries, maxBytes);
            }
        }
        return null;
    }

    private SpoolBatch readFrom(int c, SpoolPosition start, int maxEntries, long maxBytes) throws IOException {
        List<SpoolEntry> entries = new ArrayList<>();
        long bytes = 0;
        SpoolPosition position = start;
        while (entries.size() < maxEntries) {
            Segment segment = segments[c].get(position.sequence);
            if (position.offset >= segment.sizeBytes) {
                Map.Entry<Long, Segment> next = segments[c].higherEntry(position.sequence);
                if (next == null) {
                    break;
                }
                position = new SpoolPosition(next.getKey(), 0);
                continue;
            }
            long budget = entries.isEmpty() ? Long.MAX_VALUE : maxBytes - bytes;
            SegmentScanner.Step step = SegmentScanner.step(segment.reader(), position.offset, segment.sizeBytes, true, budget);
            if (step.kind == SegmentScanner.Kind.OVER_BUDGET) {
                break;
            }
            if (step.kind == SegmentScanner.Kind.RECORD) {
                entries.add(step.entry);
                bytes += step.header.payloadLength;
            } else if (step.kind == SegmentScanner.Kind.CORRUPT) {
                reportDamage(segment, step, "a record (" + (step.next - step.offset)
                        + " bytes) failed its checksum and was skipped");
            } else if (step.kind == SegmentScanner.Kind.UNREADABLE) {
                reportUnreadable(segment, step);
            } else {
                reportDamage(segment, step, "the file ends in an incomplete record ("
                        + (step.next - step.offset) + " bytes), which was skipped");
            }
            position = new SpoolPosition(segment.sequence, step.next);
        }
        read[c] = position;
        SpoolBatch batch = new SpoolBatch(this, LevelClass.ofOrdinal(c), start, position, entries);
        outstanding[c].put(start, batch);
        return batch;
    }

    /** The first position at or after {@code from} that holds bytes of class {@code c}, or null. */
    private SpoolPosition firstUnconsumed(int c, SpoolPosition from) {
        for (Segment segment : segments[c].tailMap(from.sequence, true).values()) {
            long offset = segment.sequence == from.sequence ? from.offset : 0;
            if (offset < segment.sizeBytes) {
                return new SpoolPosition(segment.sequence, offset);
            }
        }
        return null;
    }

    /**
     * Acknowledges {@code batch}: its entries are never returned again, not even after a restart,
     * once every batch of its class read before it was committed too (several batches may be in
     * flight, even from two senders sharing the spool during a reconfiguration: the marker never
     * passes one that is still unconfirmed). Segments acknowledged completely are deleted. Writes
     * and forces the marker when it moves. Committing a batch that was given back, rewound, or
     * whose segment was evicted changes nothing.
     */
    public synchronized void commit(SpoolBatch batch) throws IOException {
        ensureOpen();
        if (batch.spool() != this) {
            throw new IllegalArgumentException("batch read from another spool: " + batch);
        }
        int c = batch.levelClass().ordinal();
        if (!outstanding[c].remove(batch.start, batch)) {
            return; // given back, rewound or evicted meanwhile: its entries are read again anyway
        }
        confirmed[c].put(batch.start, batch.end);
        SpoolPosition confirmedUpTo = contiguouslyConfirmed(c);
        if (confirmedUpTo.compareTo(committed[c]) <= 0) {
            return;
        }
        SpoolPosition acknowledged = confirmedUpTo;
        List<Segment> consumed = new ArrayList<>();
        for (Segment segment : segments[c].values()) {
            boolean complete = segment.sequence < acknowledged.sequence
                    || (segment.sequence == acknowledged.sequence && acknowledged.offset >= segment.sizeBytes);
            if (!complete) {
                break;
            }
            consumed.add(segment);
        }
        if (!consumed.isEmpty()) {
            acknowledged = SpoolPosition.later(acknowledged,
                    new SpoolPosition(consumed.get(consumed.size() - 1).sequence + 1, 0));
        }
        SpoolPosition[] next = committed.clone();
        next[c] = acknowledged;
        // marker first: a crash before the deletes leaves consumed files that the next open deletes
        CursorFile.write(directory, next);
        committed = next;
        read[c] = SpoolPosition.later(read[c], acknowledged);
        for (Segment segment : consumed) {
            segments[c].remove(segment.sequence);
            if (appending[c] == segment) {
                appending[c] = null;
            }
            totalBytes -= segment.sizeBytes;
            segment.delete();
        }
    }

    /**
     * The marker's next place in class {@code c}: past every confirmed batch that follows it
     * without a gap (positions with no bytes between them count as one).
     */
    private SpoolPosition contiguouslyConfirmed(int c) {
        SpoolPosition frontier = committed[c];
        while (true) {
            SpoolPosition at = firstUnconsumed(c, frontier);
            if (at == null) {
                return frontier;
            }
            Map.Entry<SpoolPosition, SpoolPosition> range = confirmed[c].floorEntry(at);
            if (range == null || range.getValue().compareTo(at) <= 0) {
                confirmed[c].headMap(at).clear();
                return frontier;
            }
            frontier = range.getValue();
            confirmed[c].headMap(at, true).clear();
        }
    }

    /** Makes every entry read but not committed readable again, for resending after a failover. */
    public synchronized void rewind() {
        System.arraycopy(committed, 0, read, 0, read.length);
        for (int c = 0; c < LevelClass.COUNT; c++) {
            outstanding[c].clear();
            confirmed[c].clear();
        }
    }

    /**
     * Makes the entries of {@code batch} readable again (no broker confirmed them), and any read
     * after it in its class; other senders' batches in flight stay in flight. Giving back a batch
     * that was committed, given back or rewound already changes nothing.
     */
    public synchronized void giveBack(SpoolBatch batch) {
        if (batch.spool() != this) {
            throw new IllegalArgumentException("batch read from another spool: " + batch);
        }
        int c = batch.levelClass().ordinal();
        if (outstanding[c].remove(batch.start, batch)) {
            read[c] = SpoolPosition.later(committed[c], earlier(read[c], batch.start));
        }
    }

    private static SpoolPosition earlier(SpoolPosition a, SpoolPosition b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** True if no entry waits for a commit (read or not). */
    public synchronized boolean isEmpty() {
        for (int c = 0; c < LevelClass.COUNT; c++) {
            if (firstUnconsumed(c, committed[c]) != null) {
                return false;
            }
        }
        return true;
    }

    /** True if {@link #readBatch} would return a batch. */
    public synchronized boolean hasUnread() {
        for (int c = 0; c < LevelClass.COUNT; c++) {
            if (firstUnconsumed(c, read[c]) != null) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of all segment files, acknowledged parts of the oldest ones included; at most {@code spoolMaxBytes}. */
    public synchronized long sizeBytes() {
        return totalBytes;
    }

    /** Damaged records (torn, failing their checksum, or unreadable bytes) found since this spool was opened. */
    public synchronized long damagedRecords() {
        return damagedRecords;
    }

    public Path directory() {
        return directory;
    }

    public long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    public long segmentMaxBytes() {
        return segmentMaxBytes;
    }

    public DropCounter drops() {
        return drops;
    }

    private void reportUnreadable(Segment segment, SegmentScanner.Step step) {
        reportDamage(segment, step, (step.next - step.offset)
                + " bytes without an intact record header were skipped up to the next intact record");
    }

    private void reportDamage(Segment segment, SegmentScanner.Step step, String what) {
        if (segment.firstReportAt(step.offset)) {
            damagedRecords++;
            status.warn("dqlog spool " + directory + ": " + segment.fileName() + " at byte " + step.offset + ": " + what
                    + " (" + damagedRecords + " damaged record(s) in this spool so far)", null);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool " + directory + " is closed");
        }
    }

    /** Forces and closes every file and releases the lock; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            DropFile.write(directory, drops.snapshot());
        } catch (IOException e) {
            failure = e;
        }
        for (TreeMap<Long, Segment> ofClass : segments) {
            for (Segment segment : ofClass.values()) {
                try {
                    segment.close();
                } catch (IOException e) {
                    failure = addTo(failure, e);
                }
            }
        }
        try {
            lock.release();
        } catch (IOException e) {
            failure = addTo(failure, e);
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            failure = addTo(failure, e);
        }
        OPEN_DIRECTORIES.remove(directory);
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // already failing: the caller gets the first exception
        }
    }

    private static IOException addTo(IOException failure, IOException e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    @Override
    public String toString() {
        return "DiskSpool[" + directory + ", " + totalBytes + " of " + spoolMaxBytes + " bytes]";
    }
}
