package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A spool directory (or the spool root above it) belongs to another user, or is a symbolic link:
 * reading it would send what another user put there under this process's credentials, and
 * writing it would show this application's log lines to them. The sender uses a private
 * directory instead.
 */
public final class SpoolNotOwnedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Path directory;

    SpoolNotOwnedException(Path directory, String owner) {
        super("spool directory " + directory + " is not this user's (owner: " + owner
                + "); refusing to read or write it");
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
