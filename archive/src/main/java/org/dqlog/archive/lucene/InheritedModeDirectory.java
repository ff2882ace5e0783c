package org.dqlog.archive.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;
import org.dqlog.core.FileModes;

/**
 * A Lucene directory whose new files take the mode of the index directory ({@link FileModes}):
 * Lucene creates them with the process's umask, which would make an owner-only archive's index
 * readable by others.
 *
 * <p>Thread-safe as the directory it wraps.
 */
final class InheritedModeDirectory extends FilterDirectory {

    private final Path path;

    InheritedModeDirectory(FSDirectory in) {
        super(in);
        this.path = in.getDirectory();
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        IndexOutput out = super.createOutput(name, context);
        FileModes.inherit(path.resolve(out.getName()));
        return out;
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        IndexOutput out = super.createTempOutput(prefix, suffix, context);
        FileModes.inherit(path.resolve(out.getName()));
        return out;
    }

    @Override
    public Lock obtainLock(String name) throws IOException {
        Lock lock = super.obtainLock(name);
        FileModes.inherit(path.resolve(name));
        return lock;
    }
}
