package org.dqlog.archive.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.dqlog.archive.FilePosition;
import org.dqlog.archive.RecordIndex;
import org.dqlog.core.FileModes;
import org.dqlog.core.LogRecord;

/**
 * The Lucene index under {@code <data>/index}, derived from the per-host files and rebuildable
 * from them (fields in {@link IndexSchema}). One {@link IndexWriter}; a near-real-time
 * {@link SearcherManager} answers {@link #contains}. Each record is written with
 * {@code updateDocument(id)}, so a record indexed twice (recovery, redelivery) is still one document.
 *
 * <p>Each commit carries, in its user data, the file positions ({@link FilePosition}) whose lines
 * it covers: {@code pos:<hostDir>} = {@code <offset>|<fileKey>}, and {@code commitTime}. Recovery
 * reads the files from there. Positions are recorded only after their records were added, so a
 * commit never claims lines it lacks.
 *
 * <p>Thread-safe, as {@link IndexWriter} is: adds, deletes and commits may come from several threads.
 */
public final class LogIndex implements RecordIndex {

    /** Ids added since the last refresh beyond which the reader is refreshed early: {@value}. */
    public static final int DEFAULT_MAX_PENDING_IDS = 100_000;
    static final String POSITION_PREFIX = "pos:";
    static final String COMMIT_TIME = "commitTime";
    static final String COVERS_FILES = "coversFiles";

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile boolean coversFiles;
    private final Map<String, FilePosition> committed;
    private final Map<String, FilePosition> positions = new ConcurrentHashMap<>();
    /** Ids added since the last refresh: the NRT reader may not see them yet. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Object commitLock = new Object();
    private volatile boolean changed;
    private boolean closed;
    private volatile Instant lastCommit;

    private LogIndex(Directory directory, IndexWriter writer) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, true, false, null);
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        this.coversFiles = "true".equals(data.get(COVERS_FILES));
        this.committed = decodePositions(data);
        this.positions.putAll(committed);
        this.lastCommit = data.containsKey(COMMIT_TIME) ? Instant.parse(data.get(COMMIT_TIME)) : null;
        if (!data.containsKey(COMMIT_TIME)) {
            // an empty first commit, so that dqlog search finds an index from the start
            changed = true;
            commit();
        }
    }

    /**
     * Opens (or creates) the index in {@code indexDir}.
     *
     * @throws IOException also when another process (a running collector) holds the index
     */
    public static LogIndex open(Path indexDir) throws IOException {
        FileModes.createDirectories(indexDir);
        Directory dir = new InheritedModeDirectory(FSDirectory.open(indexDir));
        try {
            IndexWriterConfig config = new IndexWriterConfig(IndexSchema.indexAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(32)
                    .setCommitOnClose(true);
            return new LogIndex(dir, new IndexWriter(dir, config));
        } catch (LockObtainFailedException e) {
            dir.close();
            throw new IOException("the index " + indexDir + " is in use by another process"
                    + " (a running collector?); stop it first", e);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /**
     * True if the index holds every record of the files up to its positions: false for a new
     * index and for one whose rebuild did not finish, which need a full {@link org.dqlog.archive.Reindexer} run.
     */
    @Override
    public boolean coversFiles() {
        return coversFiles;
    }

    /** Declares that the index now holds every record of the files; recorded by the next commit. */
    @Override
    public void markCoversFiles() {
        coversFiles = true;
        changed = true;
    }

    /** Indexes a record with its exact file line, replacing any document with the same id. */
    @Override
    public void add(LogRecord record, String line) throws IOException {
        writer.updateDocument(new Term(IndexSchema.ID, record.id()), IndexSchema.document(record, line));
        pending.add(record.id());
        changed = true;
        if (pending.size() > DEFAULT_MAX_PENDING_IDS) {
            refresh();
        }
    }

    /** {@link #add(LogRecord, String)} for each record and its line (same order, same size). */
    @Override
    public void add(List<LogRecord> records, List<String> lines) throws IOException {
        if (records.size() != lines.size()) {
            throw new IllegalArgumentException(records.size() + " records but " + lines.size() + " lines");
        }
        for (int i = 0; i < records.size(); i++) {
            add(records.get(i), lines.get(i));
        }
    }

    /**
     * Notes that the lines up to these positions are added; the next commit records them. Call
     * only after adding those lines.
     */
    @Override
    public void recordPositions(Map<String, FilePosition> covered) {
        if (!covered.isEmpty()) {
            positions.putAll(covered);
            changed = true;
        }
    }

    /** The positions recorded so far (all added, not necessarily committed). */
    @Override
    public Map<String, FilePosition> positions() {
        return Map.copyOf(positions);
    }

    /** The positions of the commit the index was opened on. */
    public Map<String, FilePosition> committedPositions() {
        return committed;
    }

    /** True if a record with this id is in the index (committed or not; deleted ones excepted). */
    @Override
    public boolean contains(String id) throws IOException {
        if (pending.contains(id)) {
            return true;
        }
        return count(new TermQuery(new Term(IndexSchema.ID, id))) > 0;
    }

    /**
     * Calls {@code action} with every record id in the index, added ones included (refreshes the
     * reader first); ids of deleted records may come too.
     */
    @Override
    public void forEachId(Consumer<String> action) throws IOException {
        refresh();
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Terms terms = leaf.reader().terms(IndexSchema.ID);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    action.accept(t.utf8ToString());
                }
            }
        } finally {
            searchers.release(searcher);
        }
    }

    /** Number of live documents matching {@code query} in the near-real-time view. */
    public int count(Query query) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.count(query);
        } finally {
            searchers.release(searcher);
        }
    }

    /** Deletes the records received (rts) before {@code cutoff}. */
    public void deleteOlderThan(Instant cutoff) throws IOException {
        writer.deleteDocuments(LongPoint.newRangeQuery(IndexSchema.RTS, Long.MIN_VALUE,
                IndexSchema.micros(cutoff) - 1));
        changed = true;
    }

    /** Deletes the records with these ids (retention of one file). */
    @Override
    public void deleteIds(Collection<String> ids) throws IOException {
        List<Term> terms = new ArrayList<>(Math.min(ids.size(), 1024));
        for (String id : ids) {
            terms.add(new Term(IndexSchema.ID, id));
            if (terms.size() == 1024) {
                writer.deleteDocuments(terms.toArray(new Term[0]));
                terms.clear();
            }
        }
        if (!terms.isEmpty()) {
            writer.deleteDocuments(terms.toArray(new Term[0]));
        }
        changed = true;
    }

    /** Deletes every record and forgets every position (reindex starts from here; not committed yet). */
    @Override
    public void deleteAll() throws IOException {
        writer.deleteAll();
        pending.clear();
        positions.clear();
        changed = true;
    }

    /**
     * Makes everything added so far durable and visible to other processes, with the recorded
     * positions; a no-op if nothing changed since the last commit.
     *
     * @return true if a commit was made
     */
    @Override
    public boolean commit() throws IOException {
        synchronized (commitLock) {
            if (!changed) {
                return false;
            }
            changed = false;
            Instant now = Instant.now();
            Map<String, String> data = new HashMap<>();
            for (FilePosition p : positions.values()) {
                data.put(POSITION_PREFIX + p.hostDir(), p.encode());
            }
            data.put(COMMIT_TIME, now.toString());
            data.put(COVERS_FILES, Boolean.toString(coversFiles));
            writer.setLiveCommitData(data.entrySet());
            try {
                writer.commit();
            } catch (IOException | RuntimeException e) {
                changed = true;
                throw e;
            }
            lastCommit = now;
        }
        refresh();
        return true;
    }

    /**
     * True once the writer closed itself after an error (Lucene's "tragic event": an I/O error
     * while writing a segment) or was closed under us: nothing can be added any more until the
     * index is opened again.
     */
    @Override
    public boolean isBroken() {
        return writer.getTragicException() != null || !writer.isOpen();
    }

    /** What closed the writer (see {@link #isBroken()}), or null. */
    @Override
    public Throwable tragicException() {
        return writer.getTragicException();
    }

    /** When the last commit was made (wall clock), or null if never. */
    @Override
    public Instant lastCommit() {
        return lastCommit;
    }

    /** True if something was added, deleted or positioned since the last commit. */
    public boolean hasUncommittedChanges() {
        return changed;
    }

    /** Makes everything added visible to {@link #contains} and {@link #count} through the reader. */
    public void refresh() throws IOException {
        List<String> seen = new ArrayList<>(pending);
        searchers.maybeRefreshBlocking();
        seen.forEach(pending::remove);
    }

    /** Commits what changed and closes. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            commit();
        } finally {
            searchers.close();
            writer.close();
            directory.close();
        }
    }

    @Override
    public synchronized void closeWithoutCommit() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        searchers.close();
        writer.rollback();
        directory.close();
    }

    private static Map<String, FilePosition> decodePositions(Map<String, String> data) {
        Map<String, FilePosition> result = new HashMap<>();
        for (Map.Entry<String, String> e : data.entrySet()) {
            if (e.getKey().startsWith(POSITION_PREFIX)) {
                String host = e.getKey().substring(POSITION_PREFIX.length());
                FilePosition p = FilePosition.decode(host, e.getValue());
                if (p != null) {
                    result.put(host, p);
                }
            }
        }
        return Map.copyOf(result);
    }
}
