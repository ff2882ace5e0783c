package org.dqlog.archive;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.dqlog.archive.LogLayout.LogFile;
import org.dqlog.core.FileModes;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.Status;

/**
 * The per-host files, the collector's source of truth (layout in {@link LogLayout}): appends
 * {@link LogLine}s to each host's active file, fsyncs them as a group, rolls a file when it would
 * pass {@code maxFileBytes} or when the UTC day changed, compresses rolled files and finds the
 * files that retention removes.
 *
 * <p>Crash safety: a write that fails is cut back to the last whole line, and an unfinished last
 * line left by a crash is cut off on start, so appends never glue onto a fragment. A compression
 * writes {@code .gz.tmp}, fsyncs, renames to {@code .gz} and only then deletes the plain file; on
 * start a leftover {@code .gz.tmp} is deleted and a plain file beside its {@code .gz} is deleted,
 * so no line is lost or doubled by a crash mid-compression.
 *
 * <p>Thread-safety: {@link #append}, {@link #sync}, {@link #rollOverdue}, {@link #takeRolled} and
 * {@link #close} touch the active files and must be called by one thread at a time (the
 * {@link ArchiveStore} serialises them). {@link #compress}, {@link #expiredFiles} and
 * {@link #delete} touch only rolled files and may run concurrently on another thread.
 */
public final class HostFileStore implements Closeable {

    /** Size at which an active file is rolled: {@value} bytes (64 MiB). */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** Active files kept open at once; the least recently written is closed first: {@value}. */
    public static final int DEFAULT_MAX_OPEN_FILES = 128;

    private final Path logsDir;
    private final long maxFileBytes;
    private final int maxOpenFiles;
    private final Clock clock;
    private final Status status;
    private final Map<String, HostFile> hosts = new HashMap<>();
    private final LinkedHashMap<String, HostFile> openFiles = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<HostFile> unsynced = new LinkedHashSet<>();
    private final Set<Path> dirsToSync = new LinkedHashSet<>();
    private final List<Path> rolled = new ArrayList<>();
    private final Fsync fsync;

    /**
     * Opens the files under {@code <dataDir>/logs}, creating the directory, and repairs what a
     * crash may have left (see the class comment). Rolled files still uncompressed are handed
     * out by the first {@link #takeRolled()}.
     */
    public HostFileStore(Path dataDir, long maxFileBytes, int maxOpenFiles, Clock clock, Status status)
            throws IOException {
        this(dataDir, maxFileBytes, maxOpenFiles, clock, status, Fsync.REAL);
    }

    HostFileStore(Path dataDir, long maxFileBytes, int maxOpenFiles, Clock clock, Status status, Fsync fsync)
            throws IOException {
        this.fsync = fsync;
        if (maxFileBytes <= 0 || maxOpenFiles <= 0) {
            throw new IllegalArgumentException("maxFileBytes and maxOpenFiles must be positive");
        }
        this.logsDir = LogLayout.logsDir(dataDir);
        this.maxFileBytes = maxFileBytes;
        this.maxOpenFiles = maxOpenFiles;
        this.clock = clock;
        this.status = status;
        FileModes.createDirectories(logsDir);
        for (String dir : LogLayout.hostDirs(logsDir)) {
            repairHost(dir);
        }
    }

    public Path logsDir() {
        return logsDir;
    }

    /**
     * Appends one line per record to its host's active file (not yet durable: see {@link #sync()}),
     * rolling files on the way as size and day require.
     *
     * @return the lines written, in the order of {@code records}, without newlines
     * @throws IOException when a write fails; the file then ends with the last whole line
     */
    public List<String> append(List<LogRecord> records) throws IOException {
        LocalDate today = today();
        Map<HostFile, ByteArrayOutputStream> pending = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(records.size());
        for (LogRecord record : records) {
            String line = LogLine.format(record);
            lines.add(line);
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            HostFile hf = host(HostNames.sanitize(record.host()));
            ByteArrayOutputStream buffer = pending.computeIfAbsent(hf, h -> new ByteArrayOutputStream());
            long size = hf.size + buffer.size();
            if (size > 0 && (size + bytes.length > maxFileBytes || (hf.day != null && hf.day.isBefore(today)))) {
                flush(hf, buffer);
                roll(hf, today);
            }
            if (hf.day == null) {
                hf.day = today;
            }
            buffer.write(bytes);
        }
        for (Map.Entry<HostFile, ByteArrayOutputStream> e : pending.entrySet()) {
            flush(e.getKey(), e.getValue());
        }
        return lines;
    }

    /**
     * Makes every line appended since the last sync durable (fsync of each file written and of
     * the directories of new files): one disk flush per file per group of records.
     *
     * @return the end position of each host's active file written since the last sync
     */
    public Map<String, FilePosition> sync() throws IOException {
        Map<String, FilePosition> positions = new LinkedHashMap<>();
        for (HostFile hf : unsynced) {
            if (hf.channel != null) {
                force(hf);
            }
            if (hf.size > 0) {
                positions.put(hf.dir, new FilePosition(hf.dir, hf.fileKey, hf.size));
            }
        }
        for (Path dir : dirsToSync) {
            LogLayout.syncDirectory(dir);
        }
        unsynced.clear();
        dirsToSync.clear();
        return positions;
    }

    /**
     * Rolls the active files of an earlier UTC day, so idle hosts' files age out too. A host left
     * without an active file is forgotten (until it writes again): the hosts remembered are those
     * that wrote since the last day's roll, not every host ever seen.
     */
    public List<Path> rollOverdue() throws IOException {
        LocalDate today = today();
        List<Path> done = new ArrayList<>();
        for (Iterator<HostFile> it = hosts.values().iterator(); it.hasNext();) {
            HostFile hf = it.next();
            if (hf.size > 0 && hf.day != null && hf.day.isBefore(today)) {
                Path p = roll(hf, today);
                if (p != null) {
                    done.add(p);
                }
            }
            if (hf.size == 0 && hf.channel == null && !unsynced.contains(hf)) {
                it.remove();
            }
        }
        return done;
    }

    /** Hosts whose active file is remembered (for tests of the bound). */
    int knownHosts() {
        return hosts.size();
    }

    /**
     * The rolled, uncompressed files since the last call. The caller compresses them only once
     * the index has committed their records, because recovery reads plain files only.
     */
    public List<Path> takeRolled() {
        List<Path> taken = new ArrayList<>(rolled);
        rolled.clear();
        return taken;
    }

    /**
     * Compresses a rolled file to {@code .gz} and deletes the plain file; crash-safe (see the class
     * comment). Safe to call from any thread.
     */
    public Path compress(Path plain) throws IOException {
        String name = plain.getFileName().toString();
        Path gz = plain.resolveSibling(name + LogLayout.GZIP_SUFFIX);
        Path tmp = plain.resolveSibling(name + LogLayout.GZIP_SUFFIX + LogLayout.TMP_SUFFIX);
        try (InputStream in = Files.newInputStream(plain);
             FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            FileModes.inherit(tmp);
            OutputStream out = Channels.newOutputStream(ch);
            GZIPOutputStream gzOut = new GZIPOutputStream(out, 65536);
            in.transferTo(gzOut);
            gzOut.finish();
            gzOut.flush();
            ch.force(true);
        }
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(plain));
        Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
        LogLayout.syncDirectory(plain.getParent());
        Files.delete(plain);
        LogLayout.syncDirectory(plain.getParent());
        return gz;
    }

    /**
     * The compressed files that retention removes, oldest first: those whose whole day is older
     * than {@code maxAge}, then the oldest others until all files together fit in
     * {@code maxTotalBytes}. Active and uncompressed files are never chosen. Safe to call from any
     * thread.
     *
     * @param maxAge        null or zero for no age limit
     * @param maxTotalBytes zero or less for no size limit
     */
    public List<Path> expiredFiles(Duration maxAge, long maxTotalBytes) throws IOException {
        List<LogFile> all = LogLayout.allFiles(logsDir);
        long total = 0;
        List<LogFile> candidates = new ArrayList<>();
        Map<Path, Long> sizes = new HashMap<>();
        for (LogFile f : all) {
            long size = sizeOrZero(f.path());
            sizes.put(f.path(), size);
            total += size;
            if (f.compressed()) {
                candidates.add(f);
            }
        }
        candidates.sort(Comparator.comparing(LogFile::day).thenComparingInt(LogFile::seq)
                .thenComparing(LogFile::hostDir));
        Instant cutoff = maxAge == null || maxAge.isZero() ? null : clock.instant().minus(maxAge);
        List<Path> expired = new ArrayList<>();
        for (LogFile f : candidates) {
            boolean tooOld = cutoff != null
                    && !f.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff);
            boolean tooBig = maxTotalBytes > 0 && total > maxTotalBytes;
            if (!tooOld && !tooBig) {
                break;
            }
            expired.add(f.path());
            total -= sizes.get(f.path());
        }
        return expired;
    }

    /** Deletes a rolled file (retention). Safe to call from any thread. */
    public void delete(Path rolledFile) throws IOException {
        Files.deleteIfExists(rolledFile);
        LogLayout.syncDirectory(rolledFile.getParent());
    }

    /** Closes every file after making it durable. */
    @Override
    public void close() throws IOException {
        sync();
        closeAll();
    }

    /** Closes every file without fsync, as a crash would leave them (for tests of recovery). */
    void closeWithoutSync() {
        closeAll();
        unsynced.clear();
    }

    private void closeAll() {
        for (HostFile hf : openFiles.values()) {
            closeQuietly(hf);
        }
        openFiles.clear();
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private HostFile host(String dir) throws IOException {
        HostFile hf = hosts.get(dir);
        if (hf == null) {
            hf = load(dir);
            hosts.put(dir, hf);
        }
        return hf;
    }

    private HostFile load(String dir) throws IOException {
        HostFile hf = new HostFile(dir, LogLayout.activeFile(logsDir, dir));
        if (Files.exists(hf.path)) {
            hf.size = Files.size(hf.path);
            hf.fileKey = LogLayout.fileKey(hf.path);
            hf.day = hf.size > 0 ? dayOfFirstLine(hf.path) : null;
        }
        return hf;
    }

    /** The UTC day of an existing file's first record (receive time, else its own time), else today. */
    private LocalDate dayOfFirstLine(Path file) {
        try (LogFileReader reader = LogFileReader.open(file, 0)) {
            String line = reader.nextLine();
            if (line != null) {
                LogRecord r = LogLine.parse(line);
                Instant t = r.rts() != null ? r.rts() : r.ts();
                if (t != null) {
                    return LocalDate.ofInstant(t, ZoneOffset.UTC);
                }
            }
        } catch (IOException | MalformedRecordException e) {
            status.warn("cannot read the day of " + file + "; taking today", e);
        }
        return today();
    }

    private void flush(HostFile hf, ByteArrayOutputStream buffer) throws IOException {
        if (buffer.size() == 0) {
            return;
        }
        FileChannel ch = channel(hf);
        ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
        long before = hf.size;
        try {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        } catch (IOException e) {
            try {
                ch.truncate(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            closeQuietly(hf);
            openFiles.remove(hf.dir);
            throw e;
        }
        hf.size += buffer.size();
        if (before == 0) {
            // a new file's identity includes its first line, so it is known only now
            hf.fileKey = LogLayout.fileKey(hf.path);
        }
        unsynced.add(hf);
        buffer.reset();
    }

    private FileChannel channel(HostFile hf) throws IOException {
        if (hf.channel != null) {
            openFiles.get(hf.dir);
            return hf.channel;
        }
        Path dir = hf.path.getParent();
        if (!Files.isDirectory(dir)) {
            FileModes.createDirectories(dir);
            dirsToSync.add(logsDir);
        }
        boolean existed = Files.exists(hf.path);
        FileChannel ch = FileChannel.open(hf.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            ch.position(hf.size);
            if (!existed) {
                FileModes.inherit(hf.path);
                dirsToSync.add(dir);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        hf.channel = ch;
        openFiles.put(hf.dir, hf);
        evictIdle();
        return ch;
    }

    /** Closes the least recently written files beyond the limit; fsyncs first what awaits a sync. */
    private void evictIdle() throws IOException {
        Iterator<HostFile> it = openFiles.values().iterator();
        while (openFiles.size() > maxOpenFiles && it.hasNext()) {
            HostFile eldest = it.next();
            if (unsynced.contains(eldest)) {
                force(eldest);
            }
            closeQuietly(eldest);
            it.remove();
        }
    }

    /** Renames the active file to its rolled name; returns it, or null if there was nothing to roll. */
    private Path roll(HostFile hf, LocalDate today) throws IOException {
        if (hf.size == 0 || !Files.exists(hf.path)) {
            return null;
        }
        if (hf.channel != null) {
            force(hf);
            closeQuietly(hf);
            openFiles.remove(hf.dir);
        }
        LocalDate day = hf.day != null ? hf.day : today;
        Path target = hf.path.resolveSibling(LogLayout.rolledName(hf.dir, day, nextSeq(hf.dir, day)));
        Files.move(hf.path, target, StandardCopyOption.ATOMIC_MOVE);
        LogLayout.syncDirectory(hf.path.getParent());
        rolled.add(target);
        hf.size = 0;
        hf.day = null;
        hf.fileKey = null;
        return target;
    }

    private int nextSeq(String dir, LocalDate day) throws IOException {
        int max = 0;
        for (LogFile f : LogLayout.files(logsDir, dir)) {
            if (day.equals(f.day())) {
                max = Math.max(max, f.seq());
            }
        }
        return max + 1;
    }

    private void repairHost(String dir) throws IOException {
        Path hostDir = logsDir.resolve(dir);
        List<Path> tmp = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(hostDir, "*" + LogLayout.GZIP_SUFFIX + LogLayout.TMP_SUFFIX)) {
            stream.forEach(tmp::add);
        }
        for (Path p : tmp) {
            Files.delete(p);
            status.info("deleted an unfinished compression: " + p);
        }
        for (LogFile f : LogLayout.files(logsDir, dir)) {
            if (f.active()) {
                cutTornTail(f.path());
            } else if (!f.compressed()) {
                Path gz = f.path().resolveSibling(f.path().getFileName() + LogLayout.GZIP_SUFFIX);
                if (Files.exists(gz)) {
                    Files.delete(f.path());
                    status.info("deleted " + f.path() + ", already compressed to " + gz);
                } else {
                    rolled.add(f.path());
                }
            }
        }
        LogLayout.syncDirectory(hostDir);
        HostFile hf = load(dir);
        if (hf.size > 0) {
            hosts.put(dir, hf); // an empty host is loaded again when it writes
        }
    }

    /** Cuts an unfinished last line (a write a crash interrupted; never acknowledged). */
    private void cutTornTail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long end = size;
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (end > 0) {
                int n = (int) Math.min(buf.capacity(), end);
                buf.clear().limit(n);
                ch.read(buf, end - n);
                int i = n - 1;
                while (i >= 0 && buf.get(i) != '\n') {
                    i--;
                }
                if (i >= 0) {
                    end = end - n + i + 1;
                    break;
                }
                end -= n;
            }
            if (end < size) {
                ch.truncate(end);
                ch.force(true);
                status.warn("cut an unfinished last line of " + (size - end) + " bytes from " + file, null);
            }
        }
    }

    /**
     * fsync of an active file. A failure is final (see {@link UnrecoverableStoreException}): after
     * it the kernel may have dropped the written pages, and a second fsync would succeed.
     */
    private void force(HostFile hf) throws UnrecoverableStoreException {
        try {
            fsync.force(hf.channel);
        } catch (IOException e) {
            throw new UnrecoverableStoreException("fsync of " + hf.path + " failed: " + e.getMessage(), e);
        }
    }

    private static long sizeOrZero(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static void closeQuietly(HostFile hf) {
        if (hf.channel != null) {
            try {
                hf.channel.close();
            } catch (IOException ignored) {
                // closing after a force or a failed write: nothing left to save
            }
            hf.channel = null;
        }
    }

    /** One host's active file. */
    private static final class HostFile {
        final String dir;
        final Path path;
        FileChannel channel;
        long size;
        LocalDate day;
        String fileKey;

        HostFile(String dir, Path path) {
            this.dir = dir;
            this.path = path;
        }
    }
}
