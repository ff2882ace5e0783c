package org.dqlog.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dqlog.archive.LogLayout.LogFile;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.Status;

/**
 * Brings the index up to the files after a crash: indexes every line the index lacks, so that a
 * record whose line was made durable (and then acknowledged) is in the index exactly once.
 *
 * <p>Only uncompressed files can hold lines the index lacks, because rolled files are compressed
 * only after a commit covering them. The active file whose identity matches the position the
 * index recorded is read from that byte offset; every other uncompressed file is read whole.
 * Each line read is indexed unless the index already has its id, so reading too much costs time,
 * never duplicates. An index that does not cover the files (new while files exist, or a rebuild
 * that did not finish) gets a full {@link Reindexer} run instead.
 *
 * <p>Not thread-safe: run it before anything appends to the files.
 */
public final class Recovery {

    /** What a recovery did. */
    public record Result(long linesRead, long recordsIndexed, long damagedLines, boolean fullReindex) { }

    private Recovery() { }

    /** Recovers the index from the files; commits the index at the end. */
    public static Result run(Path logsDir, RecordIndex index, Status status) throws IOException {
        if (!index.coversFiles()) {
            if (!LogLayout.allFiles(logsDir).isEmpty()) {
                status.warn("the index is new or its rebuild did not finish, but " + logsDir
                        + " holds files: rebuilding the index", null);
                Reindexer.Result r = Reindexer.rebuild(index, logsDir, Reindexer.Progress.NONE, status);
                return new Result(r.records() + r.damagedLines(), r.records(), r.damagedLines(), true);
            }
            index.markCoversFiles();
        }
        Map<String, FilePosition> known = index.positions();
        long read = 0;
        long indexed = 0;
        long damaged = 0;
        for (LogFile f : LogLayout.allFiles(logsDir)) {
            if (f.compressed()) {
                continue;
            }
            long start = startOffset(f, known.get(f.hostDir()));
            try (LogFileReader reader = LogFileReader.open(f.path(), start)) {
                String line;
                while ((line = reader.nextLine()) != null) {
                    read++;
                    try {
                        LogRecord record = LogLine.parse(line);
                        if (record.id() != null && !index.contains(record.id())) {
                            index.add(record, line);
                            indexed++;
                        }
                    } catch (MalformedRecordException | IllegalArgumentException e) {
                        // IllegalArgumentException: a document the index refuses; one line must not stop recovery
                        damaged++;
                        status.warn("skipped a damaged line in " + f.path() + " before byte " + reader.lineEnd(), e);
                    }
                }
            }
        }
        index.recordPositions(LogLayout.activeEnds(logsDir));
        index.commit();
        if (indexed > 0 || damaged > 0) {
            status.info("recovery: indexed " + indexed + " of " + read + " lines read from the files"
                    + (damaged > 0 ? ", " + damaged + " damaged lines skipped" : ""));
        }
        return new Result(read, indexed, damaged, false);
    }

    private static long startOffset(LogFile f, FilePosition known) throws IOException {
        if (known == null || known.fileKey() == null) {
            return 0;
        }
        if (!known.fileKey().equals(LogLayout.fileKey(f.path()))) {
            return 0;
        }
        return known.offset() <= Files.size(f.path()) ? known.offset() : 0;
    }
}
