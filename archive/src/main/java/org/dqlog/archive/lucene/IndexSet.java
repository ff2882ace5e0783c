package org.dqlog.archive.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.dqlog.archive.LogLayout;
import org.dqlog.archive.search.SearchException;

/**
 * The committed indexes of one or more data directories, opened read-only (the collector, a
 * separate process, commits about every second), searched as one. Several directories may hold
 * the same record (two collectors on the same brokers): {@link #dedupeNeeded()} tells readers of
 * the results to drop repeated ids.
 *
 * <p>Not thread-safe: one command's thread owns it; {@link #refresh()} swaps the searcher.
 */
final class IndexSet implements Closeable {

    private final List<Path> dataDirs;
    private final List<Directory> directories;
    private final List<DirectoryReader> readers;
    private IndexSearcher searcher;

    private IndexSet(List<Path> dataDirs, List<Directory> directories, List<DirectoryReader> readers)
            throws IOException {
        this.dataDirs = dataDirs;
        this.directories = directories;
        this.readers = readers;
        this.searcher = newSearcher();
    }

    /**
     * Opens the index of each data directory.
     *
     * @throws SearchException when a directory has no index or it cannot be read (one clear line)
     */
    static IndexSet open(List<Path> dataDirs) {
        List<Directory> dirs = new ArrayList<>();
        List<DirectoryReader> readers = new ArrayList<>();
        try {
            for (Path data : dataDirs) {
                Path indexDir = LogLayout.indexDir(data);
                if (!Files.isDirectory(indexDir)) {
                    throw noIndex(data);
                }
                Directory dir = FSDirectory.open(indexDir);
                dirs.add(dir);
                try {
                    if (!DirectoryReader.indexExists(dir)) {
                        throw noIndex(data);
                    }
                    readers.add(DirectoryReader.open(dir));
                } catch (IOException | RuntimeException e) {
                    if (e instanceof SearchException c) {
                        throw c;
                    }
                    throw new SearchException("cannot read the index under " + data + ": " + e.getMessage(), e);
                }
            }
            return new IndexSet(List.copyOf(dataDirs), dirs, readers);
        } catch (IOException | RuntimeException e) {
            closeAll(readers, dirs);
            if (e instanceof SearchException c) {
                throw c;
            }
            throw new SearchException("cannot open the index: " + e.getMessage(), e);
        }
    }

    private static SearchException noIndex(Path data) {
        return new SearchException("no index under " + data + " (run the collector or ./dqlog up first)");
    }

    /** The searcher over every index. Doc ids are valid only until the next {@link #refresh()}. */
    public IndexSearcher searcher() {
        return searcher;
    }

    /** True when several indexes are searched, so the same record may appear more than once. */
    public boolean dedupeNeeded() {
        return readers.size() > 1;
    }

    public int size() {
        return readers.size();
    }

    /**
     * Opens what the collectors committed since; doc ids of the old searcher become invalid.
     *
     * @return true if anything changed
     */
    public boolean refresh() throws IOException {
        boolean changed = false;
        for (int i = 0; i < readers.size(); i++) {
            DirectoryReader fresh = DirectoryReader.openIfChanged(readers.get(i));
            if (fresh != null) {
                readers.get(i).close();
                readers.set(i, fresh);
                changed = true;
            }
        }
        if (changed) {
            searcher = newSearcher();
        }
        return changed;
    }

    private IndexSearcher newSearcher() throws IOException {
        IndexReader reader = readers.size() == 1 ? readers.get(0)
                : new MultiReader(readers.toArray(new IndexReader[0]), false);
        return new IndexSearcher(reader);
    }

    public List<Path> dataDirs() {
        return dataDirs;
    }

    @Override
    public void close() {
        closeAll(readers, directories);
    }

    private static void closeAll(List<DirectoryReader> readers, List<Directory> dirs) {
        for (DirectoryReader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
        }
        for (Directory d : dirs) {
            try {
                d.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
        }
    }
}
