package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Status;
import org.dqlog.core.spool.SharedSpools;
import org.dqlog.core.spool.SpoolFiles;
import org.dqlog.core.spool.SpoolLockedException;
import org.dqlog.core.spool.SpoolNotOwnedException;

/**
 * Finds the spool directory a sender uses and opens it (shared with a sender of the same JVM that
 * has it open, see {@link SharedSpools}). The configured directory first; for the default one,
 * also {@code <app>.1} to {@code <app>.}{@value SenderConfig#MAX_DEFAULT_SPOOL_ALTERNATIVES} when
 * another process holds it. A directory (or default spool root) of another user is refused, said
 * so on the status channel, and a private directory of this user is used instead:
 * {@code ~/.dqlog/spool/<app>}.
 *
 * <p>Not thread-safe: the buffer's thread calls it.
 */
final class SpoolLocator {

    private final SenderConfig config;
    private final Status status;

    SpoolLocator(SenderConfig config, Status status) {
        this.config = config;
        this.status = status;
    }

    /** The private directory used when the configured one belongs to another user. */
    static Path privateDirectory(String app) {
        return Paths.get(System.getProperty("user.home"), ".dqlog", "spool", SenderConfig.safeName(app));
    }

    /**
     * Opens the first usable candidate.
     *
     * @throws IOException when none can be opened (the last failure; {@link SpoolLockedException}
     *     when every candidate is held by another process)
     */
    SharedSpools.Lease open() throws IOException {
        Path configured = config.spoolDir();
        try {
            return openFirst(configured, !config.isSpoolDirExplicit());
        } catch (SpoolNotOwnedException e) {
            Path fallback = privateDirectory(config.app());
            status.error("dqlog: " + e.getMessage() + "; using the private directory " + fallback + " instead", null);
            return openFirst(fallback, true);
        }
    }

    private SharedSpools.Lease openFirst(Path dir, boolean withAlternatives) throws IOException {
        if (withAlternatives) {
            SpoolFiles.prepareDirectory(dir, true); // the shared root: refuse another user's
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir);
        if (withAlternatives) {
            for (int i = 1; i <= SenderConfig.MAX_DEFAULT_SPOOL_ALTERNATIVES; i++) {
                candidates.add(dir.resolveSibling(dir.getFileName() + "." + i));
            }
        }
        SpoolLockedException locked = null;
        for (Path candidate : candidates) {
            try {
                return SharedSpools.acquire(candidate, config.spoolMaxBytes(), status);
            } catch (SpoolLockedException e) {
                locked = e;
            }
        }
        throw locked;
    }
}
