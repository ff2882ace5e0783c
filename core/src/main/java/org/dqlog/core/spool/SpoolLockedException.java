package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The spool directory is in use by another process (or another {@link DiskSpool} of this one).
 * The caller decides what to do: run without a disk spool, or use another directory.
 */
public final class SpoolLockedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Path directory;

    SpoolLockedException(Path directory, String holder) {
        super("spool directory " + directory + " is in use by " + holder
                + "; only one process at a time may use a spool directory");
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
