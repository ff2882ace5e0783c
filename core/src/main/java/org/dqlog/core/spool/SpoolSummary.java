package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;

/**
 * What waits in a {@link DiskSpool} directory, read without opening the spool: per level class,
 * the records not yet acknowledged, their bytes and the time of the oldest; the size of the
 * directory; and who holds its lock. For operators ({@code dqlog spool ls}), so it never writes,
 * never cuts off damage and works while the owning application runs (a record being appended at
 * that moment may be missed or counted as damaged).
 *
 * <p>The lock state is found with a shared {@link FileLock} attempt on a read-only channel, so the
 * summary never blocks the owner; while the attempt lasts (microseconds), a process opening the
 * spool would find it busy and use another directory. A spool that this very process has open is
 * not probed (closing a second channel of the file would release this process's own lock).
 *
 * <p>Immutable and thread-safe once read.
 */
public final class SpoolSummary {

    /** Whether the spool is in use. */
    public enum LockState {
        /** A live process holds the lock: it sends the spool itself. */
        HELD,
        /** Nobody holds the lock: the next sender (or {@code dqlog spool drain}) may take it. */
        FREE,
        /** No lock file: no sender ever opened the directory. */
        NONE
    }

    /** The unacknowledged records of one level class. Immutable. */
    public static final class ClassSummary {
        private final LevelClass levelClass;
        private final long records;
        private final long bytes;
        private final Instant oldest;

        ClassSummary(LevelClass levelClass, long records, long bytes, Instant oldest) {
            this.levelClass = levelClass;
            this.records = records;
            this.bytes = bytes;
            this.oldest = oldest;
        }

        public LevelClass levelClass() {
            return levelClass;
        }

        public long records() {
            return records;
        }

        /** Bytes of these records in the segment files, framing included. */
        public long bytes() {
            return bytes;
        }

        /** Time of the oldest record (the first not yet acknowledged), or null if it cannot be read. */
        public Instant oldest() {
            return oldest;
        }
    }

    private final Path directory;
    private final List<ClassSummary> classes;
    private final long sizeBytes;
    private final long damagedRecords;
    private final LockState lockState;
    private final String lockHolder;

    private SpoolSummary(Path directory, List<ClassSummary> classes, long sizeBytes, long damagedRecords,
                         LockState lockState, String lockHolder) {
        this.directory = directory;
        this.classes = Collections.unmodifiableList(classes);
        this.sizeBytes = sizeBytes;
        this.damagedRecords = damagedRecords;
        this.lockState = lockState;
        this.lockHolder = lockHolder;
    }

    /** True if {@code dir} holds a spool's files (a lock, a marker or a segment). */
    public static boolean isSpool(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        if (Files.exists(dir.resolve(DiskSpool.LOCK_FILE)) || Files.exists(dir.resolve(CursorFile.NAME))) {
            return true;
        }
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(dir, "*.seg")) {
            return segments.iterator().hasNext();
        }
    }

    /**
     * {@code dir} if it is a spool, else the spools directly inside it (a spool root such as
     * {@code <tmp>/dqlog-spool-<user>}), sorted by name; empty if there are none.
     */
    public static List<Path> spoolsIn(Path dir) throws IOException {
        if (isSpool(dir)) {
            return List.of(dir);
        }
        List<Path> spools = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path child : children) {
                    if (isSpool(child)) {
                        spools.add(child);
                    }
                }
            }
        }
        Collections.sort(spools);
        return spools;
    }

    /** Reads the summary of the spool in {@code dir}. */
    public static SpoolSummary read(Path dir) throws IOException {
        SpoolPosition[] committed = CursorFile.read(dir, Status.SILENT);
        TreeMap<Long, Path>[] segments = segmentsByClass(dir);
        List<ClassSummary> classes = new ArrayList<>();
        long size = 0;
        long damaged = 0;
        for (int c = LevelClass.COUNT - 1; c >= 0; c--) {
            long records = 0;
            long bytes = 0;
            Instant oldest = null;
            for (java.util.Map.Entry<Long, Path> segment : segments[c].entrySet()) {
                long fileSize = Files.size(segment.getValue());
                size += fileSize;
                SpoolPosition start = committed[c];
                long from = segment.getKey() < start.sequence ? fileSize
                        : segment.getKey() == start.sequence ? Math.min(start.offset, fileSize) : 0;
                try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.READ)) {
                    long offset = from;
                    while (offset < fileSize) {
                        SegmentScanner.Step step = SegmentScanner.step(channel, offset, fileSize, oldest == null, Long.MAX_VALUE);
                        if (step.kind == SegmentScanner.Kind.RECORD) {
                            records++;
                            bytes += step.next - step.offset;
                            if (oldest == null) {
                                oldest = timeOf(step.entry);
                            }
                        } else {
                            damaged++;
                        }
                        offset = step.next;
                    }
                }
            }
            if (records > 0) {
                classes.add(new ClassSummary(LevelClass.ofOrdinal(c), records, bytes, oldest));
            }
        }
        String holder = holderOf(dir);
        return new SpoolSummary(dir, classes, size, damaged, lockStateOf(dir, holder), holder);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TreeMap<Long, Path>[] segmentsByClass(Path dir) throws IOException {
        TreeMap<Long, Path>[] segments = new TreeMap[LevelClass.COUNT];
        for (int c = 0; c < LevelClass.COUNT; c++) {
            segments[c] = new TreeMap<>();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path file : files) {
                Segment segment = Segment.existing(file);
                if (segment != null) {
                    segments[segment.levelClass].put(segment.sequence, file);
                }
            }
        }
        return segments;
    }

    private static Instant timeOf(SpoolEntry entry) {
        if (entry == null) {
            return null;
        }
        try {
            LogRecord record = RecordCodec.decode(entry.copyOfBody());
            return record.ts();
        } catch (MalformedRecordException | RuntimeException e) {
            return null; // the count still holds; the time is unknown
        }
    }

    private static String holderOf(Path dir) {
        try {
            return new String(Files.readAllBytes(dir.resolve(DiskSpool.LOCK_FILE)), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "unreadable (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static LockState lockStateOf(Path dir, String holder) {
        if (holder == null) {
            return LockState.NONE;
        }
        try {
            if (DiskSpool.isOpenInThisProcess(dir)) {
                return LockState.HELD; // by this process: probing would release its lock
            }
        } catch (IOException e) {
            return LockState.HELD; // cannot tell: do not invite a drain
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(DiskSpool.LOCK_FILE), StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return LockState.HELD;
            }
            probe.release();
            return LockState.FREE;
        } catch (OverlappingFileLockException e) {
            return LockState.HELD;
        } catch (IOException e) {
            return LockState.HELD; // cannot tell: do not invite a drain
        }
    }

    public Path directory() {
        return directory;
    }

    /** The classes with unacknowledged records, highest (panics) first. */
    public List<ClassSummary> classes() {
        return classes;
    }

    public long records() {
        return classes.stream().mapToLong(ClassSummary::records).sum();
    }

    /** The oldest record time over all classes, or null. */
    public Instant oldest() {
        return classes.stream().map(ClassSummary::oldest).filter(t -> t != null).min(Instant::compareTo).orElse(null);
    }

    /** Bytes of the segment files (acknowledged records not yet deleted included). */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Damaged stretches found (a torn tail counts once). */
    public long damagedRecords() {
        return damagedRecords;
    }

    public LockState lockState() {
        return lockState;
    }

    /** What the lock file says of the last holder ({@code pid N}), or null without a lock file. */
    public String lockHolder() {
        return lockHolder;
    }

    @Override
    public String toString() {
        return "SpoolSummary[" + directory + ", " + records() + " records, " + sizeBytes + " bytes, " + lockState + "]";
    }
}
