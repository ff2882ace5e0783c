package org.dqlog.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.dqlog.archive.LogLayout.LogFile;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.Status;

/**
 * Rebuilds the whole index from the per-host files, plain and compressed ({@code dqlog reindex}).
 * The old index stays searchable and is replaced only by the final commit, so an interrupted
 * rebuild leaves the old index as it was. The collector must not run meanwhile: its index lock
 * makes {@link #rebuild(Path, Progress, Status)} fail with a message saying so.
 *
 * <p>Not thread-safe; one rebuild at a time.
 */
public final class Reindexer {

    /** Called after each file and every {@value #REPORT_EVERY_RECORDS} records. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (records, bytesDone, bytesTotal) -> { };

        /**
         * @param recordsDone records indexed so far
         * @param bytesDone   bytes of the files read so far (compressed bytes for .gz files)
         * @param bytesTotal  bytes of all files to read
         */
        void update(long recordsDone, long bytesDone, long bytesTotal);
    }

    /** What a rebuild did. */
    public record Result(long records, long damagedLines, int files, long bytes) { }

    static final int REPORT_EVERY_RECORDS = 10_000;

    private Reindexer() { }

    /** Replaces everything in {@code index} by the records of the files under {@code logsDir}; commits. */
    public static Result rebuild(RecordIndex index, Path logsDir, Progress progress, Status status) throws IOException {
        List<LogFile> files = LogLayout.allFiles(logsDir);
        long total = 0;
        for (LogFile f : files) {
            total += sizeOrZero(f.path());
        }
        index.deleteAll();
        long records = 0;
        long damaged = 0;
        long doneBefore = 0;
        int filesRead = 0;
        progress.update(0, 0, total);
        for (LogFile f : files) {
            try (LogFileReader reader = LogFileReader.open(f.path(), 0)) {
                String line;
                while ((line = reader.nextLine()) != null) {
                    try {
                        LogRecord record = LogLine.parse(line);
                        if (record.id() == null) {
                            throw new MalformedRecordException("a line without a record id");
                        }
                        index.add(record, line);
                        records++;
                        if (records % REPORT_EVERY_RECORDS == 0) {
                            progress.update(records, doneBefore + reader.fileBytesRead(), total);
                        }
                    } catch (MalformedRecordException e) {
                        damaged++;
                        status.warn("skipped a damaged line in " + f.path() + " before byte " + reader.lineEnd(), e);
                    }
                }
                doneBefore += reader.fileBytesRead();
            } catch (NoSuchFileException e) {
                status.warn("file vanished during the rebuild (retention?): " + f.path(), e);
            }
            filesRead++;
            progress.update(records, Math.min(doneBefore, total), total);
        }
        index.recordPositions(LogLayout.activeEnds(logsDir));
        index.markCoversFiles();
        index.commit();
        return new Result(records, damaged, filesRead, doneBefore);
    }

    private static long sizeOrZero(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
