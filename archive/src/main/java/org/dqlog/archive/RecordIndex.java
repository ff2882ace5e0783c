package org.dqlog.archive;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dqlog.core.LogRecord;

/**
 * The write side of an index backend: what {@link ArchiveStore}, {@link Recovery} and
 * {@link Reindexer} need from the index of one data directory. Records are added with their exact
 * file line, idempotently by record id (a record added twice is one record); nothing is visible to
 * searches before {@link #commit()}. Each commit also keeps the positions in the per-host files up
 * to which the index covers them, so that recovery reads only the rest.
 *
 * <p>The local Lucene index ({@link org.dqlog.archive.lucene.LogIndex}) is the first implementation; see
 * {@link IndexBackend}. Implementations are thread-safe.
 */
public interface RecordIndex extends Closeable {

    /** Indexes a record with its exact file line, replacing any record with the same id. */
    void add(LogRecord record, String line) throws IOException;

    /** {@link #add(LogRecord, String)} for each record and its line (same order, same size). */
    void add(List<LogRecord> records, List<String> lines) throws IOException;

    /** True if a record with this id is in the index (added or committed; deleted ones excepted). */
    boolean contains(String id) throws IOException;

    /** Calls {@code action} with every record id in the index, added ones included; ids of deleted records may come too. */
    void forEachId(Consumer<String> action) throws IOException;

    /** Deletes the records with these ids (retention of one file). */
    void deleteIds(Collection<String> ids) throws IOException;

    /** Deletes every record and forgets every position (a rebuild starts from here; not committed yet). */
    void deleteAll() throws IOException;

    /**
     * Makes everything added so far durable and visible to searches, with the recorded positions;
     * a no-op if nothing changed since the last commit.
     *
     * @return true if a commit was made
     */
    boolean commit() throws IOException;

    /** Notes that the lines up to these positions are added; the next commit records them. Call only after adding those lines. */
    void recordPositions(Map<String, FilePosition> covered);

    /** The positions recorded so far (all added, not necessarily committed). */
    Map<String, FilePosition> positions();

    /**
     * True if the index holds every record of the files up to its positions: false for a new index
     * and for one whose rebuild did not finish, which need a full {@link Reindexer} run.
     */
    boolean coversFiles();

    /** Notes that the index now covers the files (after a full rebuild); the next commit records it. */
    void markCoversFiles();

    /** True once the index cannot take writes any more in this process (the store is then abandoned). */
    boolean isBroken();

    /** What broke the index (see {@link #isBroken()}), or null. */
    Throwable tragicException();

    /** When the last commit was made (wall clock), or null if never. */
    Instant lastCommit();

    /** Drops everything since the last commit and closes, as a crash would (abandoned stores, tests of recovery). */
    void closeWithoutCommit() throws IOException;

    /** Commits what changed and closes. */
    @Override
    void close() throws IOException;
}
