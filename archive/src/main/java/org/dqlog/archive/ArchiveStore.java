package org.dqlog.archive;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.dqlog.core.FileModes;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;

/**
 * The collector's storage: per-host files (the source of truth), the index, and duplicate
 * detection by record id, behind one call per batch. The daemon calls {@link #archive} with a
 * batch, then acknowledges its messages: when {@code archive} returns, every record of the batch
 * is durable in its file (fsynced) and in the index writer, and recovery would index it after a
 * crash, so each record is archived exactly once however often it is delivered. It calls
 * {@link #commitIfDue()} often (after each batch and when idle) so that {@code dqlog search}
 * sees new records within about {@link StorageSettings#commitInterval()}.
 *
 * <p>Rolled files are compressed, and retention deletes old files (and their records from the
 * index), on a background thread ({@code dqlog-storage-maintenance}), every
 * {@link StorageSettings#maintenanceInterval()} and after each commit that rolled files.
 *
 * <p>Thread-safe: {@link #archive}, {@link #commit} and {@link #commitIfDue} serialise on this
 * object, so consumer threads of several brokers may share one store.
 */
public final class ArchiveStore implements Closeable {

    /** Ids longer than this are replaced by their hash ({@code sha256:...}), to keep index terms small: {@value}. */
    public static final int MAX_ID_CHARS = 512;
    private static final Duration MAINTENANCE_WAIT = Duration.ofMinutes(5);

    private final StorageSettings settings;
    private final Clock clock;
    private final Status status;
    private final HostFileStore files;
    private final RecordIndex index;
    private final Recovery.Result recovery;
    private final Map<String, Boolean> recentIds;
    private IdFilter knownIds;
    private final Queue<Path> toCompress = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService maintenance;
    private final AtomicLong duplicates = new AtomicLong();
    private Instant lastCommitAt;
    private boolean needsRecovery;
    private boolean closed;
    private volatile String brokenBy;

    private ArchiveStore(StorageSettings settings, Clock clock, Status status, HostFileStore files, RecordIndex index,
                         Recovery.Result recovery) {
        this.settings = settings;
        this.clock = clock;
        this.status = status;
        this.files = files;
        this.index = index;
        this.recovery = recovery;
        int capacity = settings.recentIds();
        this.recentIds = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
        this.knownIds = loadIdFilter(index, status);
        this.lastCommitAt = clock.instant();
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dqlog-storage-maintenance");
            t.setDaemon(true);
            return t;
        });
        // recovery committed everything, so files left rolled by the last run can be compressed now
        toCompress.addAll(files.takeRolled());
        long every = settings.maintenanceInterval().toMillis();
        maintenance.scheduleWithFixedDelay(this::maintainQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the files and the index under {@code settings.dataDir()} and recovers: every line in
     * the files that the index lacks is indexed and committed before this returns.
     *
     * @throws IOException also when another collector holds the index
     */
    public static ArchiveStore open(StorageSettings settings, Clock clock, Status status) throws IOException {
        return open(settings, IndexBackend.local(), clock, status);
    }

    /** {@link #open(StorageSettings, Clock, Status)} with the index of {@code backend}. */
    public static ArchiveStore open(StorageSettings settings, IndexBackend backend, Clock clock, Status status)
            throws IOException {
        return open(settings, backend, clock, status, Fsync.REAL);
    }

    static ArchiveStore open(StorageSettings settings, Clock clock, Status status, Fsync fsync) throws IOException {
        return open(settings, IndexBackend.local(), clock, status, fsync);
    }

    private static ArchiveStore open(StorageSettings settings, IndexBackend backend, Clock clock, Status status,
                                     Fsync fsync) throws IOException {
        FileModes.createDirectories(settings.dataDir());
        HostFileStore files = new HostFileStore(settings.dataDir(), settings.maxFileBytes(), settings.maxOpenFiles(),
                clock, status, fsync);
        RecordIndex index;
        try {
            index = backend.openIndex(settings.dataDir());
        } catch (IOException | RuntimeException e) {
            files.closeWithoutSync();
            throw e;
        }
        try {
            Recovery.Result result = Recovery.run(files.logsDir(), index, status);
            syncPlainFiles(files.logsDir());
            return new ArchiveStore(settings, clock, status, files, index, result);
        } catch (IOException | RuntimeException e) {
            files.closeWithoutSync();
            index.close();
            throw e;
        }
    }

    /**
     * Archives the records of a batch that were not archived before (by id): writes them to their
     * hosts' files, fsyncs, and adds them to the index. A record without an id gets one derived
     * from its content ({@code sha256:...}), so its redeliveries are recognised too; a record
     * without a receive time gets the clock's time. Duplicates within the batch count once.
     *
     * @return the ids archived now (the others were duplicates)
     * @throws IOException when the files or the index failed; nothing of the batch may then be
     *                     acknowledged. The next call first re-syncs and recovers, so a retry of the
     *                     same batch archives each record once.
     */
    public synchronized Set<String> archive(List<LogRecord> batch) throws IOException {
        ensureOpen();
        ensureUnbroken();
        recoverIfNeeded();
        List<LogRecord> fresh = new ArrayList<>(batch.size());
        Set<String> newIds = new LinkedHashSet<>();
        for (LogRecord r : batch) {
            LogRecord record = normalize(r);
            String id = record.id();
            // The filter's "no" is certain; only its "maybe" needs the index (a term lookup in every segment).
            if (newIds.contains(id) || recentIds.containsKey(id) || knownIds.mightContain(id) && index.contains(id)) {
                duplicates.incrementAndGet();
                continue;
            }
            newIds.add(id);
            fresh.add(record);
        }
        if (fresh.isEmpty()) {
            return Collections.emptySet();
        }
        try {
            List<String> lines = files.append(fresh);
            Map<String, FilePosition> positions = files.sync();
            index.add(fresh, lines);
            index.recordPositions(positions);
        } catch (IOException | RuntimeException e) {
            needsRecovery = true;
            throw unrecoverableOr(e);
        }
        for (String id : newIds) {
            recentIds.put(id, Boolean.TRUE);
            knownIds.add(id);
        }
        return Collections.unmodifiableSet(newIds);
    }

    /**
     * Commits if {@link StorageSettings#commitInterval()} passed since the last commit (and
     * something changed); rolls the files of an earlier day on the way.
     *
     * @return true if a commit was made
     */
    public synchronized boolean commitIfDue() throws IOException {
        ensureOpen();
        if (Duration.between(lastCommitAt, clock.instant()).compareTo(settings.commitInterval()) < 0) {
            return false;
        }
        return commit();
    }

    /**
     * Commits the index now, making everything archived visible to {@code dqlog search}, and hands
     * the files rolled so far to the background compression (now that the index covers them).
     *
     * @return true if a commit was made (false if nothing changed)
     */
    public synchronized boolean commit() throws IOException {
        ensureOpen();
        ensureUnbroken();
        recoverIfNeeded();
        boolean committed;
        List<Path> rolled;
        try {
            files.rollOverdue();
            rolled = files.takeRolled();
            committed = index.commit();
        } catch (IOException | RuntimeException e) {
            throw unrecoverableOr(e);
        }
        lastCommitAt = clock.instant();
        if (!rolled.isEmpty()) {
            toCompress.addAll(rolled);
            maintenance.execute(this::maintainQuietly);
        }
        return committed;
    }

    /** Runs compression and retention now on the maintenance thread and waits for them (tests, operations). */
    public void maintainNow() throws IOException {
        try {
            maintenance.submit(() -> {
                maintain();
                return null;
            }).get(MAINTENANCE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("storage maintenance failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for storage maintenance", e);
        } catch (TimeoutException e) {
            throw new IOException("storage maintenance took longer than " + MAINTENANCE_WAIT, e);
        }
    }

    /** What the recovery on open did. */
    public Recovery.Result recovery() {
        return recovery;
    }

    /** The index, for health figures ({@link RecordIndex#lastCommit()}). */
    public RecordIndex index() {
        return index;
    }

    /** Records dropped as duplicates since open. */
    public long duplicates() {
        return duplicates.get();
    }

    /**
     * Marks the store unusable after a failure it cannot recover from in this process: every later
     * {@link #archive} and {@link #commit} throws, and {@link #close()} neither fsyncs nor commits,
     * so that nothing written since the last good commit is acknowledged or recorded as indexed.
     * The next start recovers from the files. Returns at once, even while a batch is in progress.
     */
    public void abandon(String reason) {
        if (brokenBy == null) {
            brokenBy = reason;
        }
    }

    /** Finishes background work, makes the files durable and commits the index; after {@link #abandon} only closes. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        if (brokenBy != null) {
            closed = true;
            maintenance.shutdownNow();
            files.closeWithoutSync();
            try {
                index.closeWithoutCommit();
            } catch (IOException | RuntimeException e) {
                // the index writer is what broke, most likely; recovery at the next start repairs it
            }
            return;
        }
        closed = true;
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(MAINTENANCE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                status.warn("storage maintenance still running at close; left for the next start", null);
                maintenance.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            index.recordPositions(files.sync());
            files.close();
        } finally {
            index.close();
        }
    }

    /** Stops as a crash would: no fsync, no commit (for tests of recovery). */
    synchronized void simulateCrash() throws IOException {
        closed = true;
        maintenance.shutdownNow();
        files.closeWithoutSync();
        index.closeWithoutCommit();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the archive store is closed");
        }
    }

    private void ensureUnbroken() throws UnrecoverableStoreException {
        String reason = brokenBy;
        if (reason != null) {
            throw UnrecoverableStoreException.abandoned(reason);
        }
    }

    /**
     * A failed fsync, or an index writer closed by a tragic event, cannot be retried in this
     * process: it abandons the store and comes back as {@link UnrecoverableStoreException}.
     * Anything else (a full disk on write) is returned as it is, to be retried.
     */
    private IOException unrecoverableOr(Exception e) {
        UnrecoverableStoreException fatal = null;
        if (e instanceof UnrecoverableStoreException u) {
            fatal = u;
        } else if (index.isBroken()) {
            fatal = new UnrecoverableStoreException("the index writer closed itself after an error ("
                    + index.tragicException() + ")", e);
        }
        if (fatal != null) {
            abandon(fatal.getMessage());
            return fatal;
        }
        if (e instanceof IOException io) {
            return io;
        }
        throw (RuntimeException) e;
    }

    /** After a failed write, makes what reached the files durable and indexes it before going on. */
    private void recoverIfNeeded() throws IOException {
        if (!needsRecovery) {
            return;
        }
        index.recordPositions(files.sync());
        Recovery.run(files.logsDir(), index, status);
        knownIds = loadIdFilter(index, status); // recovery indexed ids the filter has not seen
        needsRecovery = false;
    }

    /** Every id of the index (recovered: it has every line of the files), in a filter sized for twice as many. */
    private static IdFilter loadIdFilter(RecordIndex index, Status status) {
        try {
            long[] count = new long[1];
            index.forEachId(id -> count[0]++);
            IdFilter filter = new IdFilter(count[0], IdFilter.DEFAULT_MAX_BYTES);
            index.forEachId(filter::add);
            filter.refillFrom(index::forEachId);
            return filter;
        } catch (IOException | RuntimeException e) {
            status.warn("cannot read the record ids of the index; every record is checked in the index", e);
            IdFilter none = new IdFilter(0, 0);
            return none;
        }
    }

    private LogRecord normalize(LogRecord r) {
        LogRecord.Builder b = null;
        if (r.id() == null || r.id().isBlank()) {
            b = r.toBuilder().id("sha256:" + sha256(RecordCodec.encode(r.toBuilder().rts(null).build())));
        } else if (r.id().length() > MAX_ID_CHARS) {
            b = r.toBuilder().id("sha256:" + sha256(r.id().getBytes(StandardCharsets.UTF_8)));
        }
        if (r.rts() == null) {
            b = (b == null ? r.toBuilder() : b).rts(clock.instant().truncatedTo(ChronoUnit.MICROS));
        }
        return b == null ? r : b.build();
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void maintainQuietly() {
        try {
            maintain();
        } catch (IOException | RuntimeException e) {
            status.warn("storage maintenance failed; retrying in " + settings.maintenanceInterval(), e);
        }
    }

    /** Compresses the handed-over rolled files, then applies retention. Runs on the maintenance thread. */
    private void maintain() throws IOException {
        Path plain;
        while ((plain = toCompress.poll()) != null) {
            if (Files.exists(plain)) {
                files.compress(plain);
            }
        }
        List<Path> expired = files.expiredFiles(settings.maxAge(), settings.maxTotalBytes());
        if (expired.isEmpty()) {
            return;
        }
        // index first: a crash between the two leaves a file whose records are gone from the
        // index, which the next retention run deletes; the other order would leave orphans
        for (Path file : expired) {
            index.deleteIds(idsOf(file));
        }
        index.commit();
        for (Path file : expired) {
            files.delete(file);
        }
        status.info("retention deleted " + expired.size() + " files: " + expired);
    }

    private List<String> idsOf(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        try (LogFileReader reader = LogFileReader.open(file, 0)) {
            String line;
            while ((line = reader.nextLine()) != null) {
                try {
                    ids.add(LogLine.parse(line).id());
                } catch (MalformedRecordException e) {
                    status.warn("retention: skipped a damaged line in " + file, e);
                }
            }
        }
        return ids;
    }

    /** fsyncs the uncompressed files recovery read, so what it indexed is on disk before anything is acknowledged. */
    private static void syncPlainFiles(Path logsDir) throws IOException {
        for (LogLayout.LogFile f : LogLayout.allFiles(logsDir)) {
            if (!f.compressed()) {
                try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                    ch.force(false);
                }
            }
        }
    }
}
