package org.dqlog.core.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.dqlog.core.Status;

/**
 * The spools open in this JVM, shared by canonical directory and counted by reference, so that a
 * reconfiguration hands the open spool from the old sender to the new one: Log4j starts the new
 * configuration before it stops the old one, and both senders use the one {@link DiskSpool}
 * (several batches in flight are safe, see {@link DiskSpool#commit}). The spool closes, and its
 * file lock is released, when the last {@link Lease} is closed. The first opener's size bound and
 * status channel stay in force while the spool is shared.
 *
 * <p>Thread-safe: one lock guards the table; opening a spool (which reads its segment headers)
 * happens under it, so call it from a sender's thread, never an application thread.
 */
public final class SharedSpools {

    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private SharedSpools() {
    }

    /**
     * The spool of {@code directory}: the one already open in this JVM, or a newly opened one.
     *
     * @throws SpoolLockedException if another process holds it
     * @throws SpoolNotOwnedException if it belongs to another user
     * @throws IOException if it cannot be created, locked or read
     */
    public static Lease acquire(Path directory, long spoolMaxBytes, Status status) throws IOException {
        SpoolFiles.prepareDirectory(directory, false);
        Path real = directory.toRealPath();
        synchronized (OPEN) {
            Shared shared = OPEN.get(real);
            if (shared == null) {
                shared = new Shared(DiskSpool.open(real, spoolMaxBytes, new DropCounter(), status));
                OPEN.put(real, shared);
            }
            shared.references++;
            return new Lease(real, shared.spool);
        }
    }

    /** True if a sender of this JVM has {@code directory} open (so nobody else should drain it). */
    public static boolean isOpenHere(Path directory) {
        synchronized (OPEN) {
            return OPEN.containsKey(directory);
        }
    }

    private static void release(Path directory, DiskSpool spool) throws IOException {
        synchronized (OPEN) {
            Shared shared = OPEN.get(directory);
            if (shared == null || shared.spool != spool || --shared.references > 0) {
                return;
            }
            OPEN.remove(directory);
        }
        spool.close();
    }

    private static final class Shared {
        final DiskSpool spool;
        int references;

        Shared(DiskSpool spool) {
            this.spool = spool;
        }
    }

    /** One user's hold on a shared spool; closing it releases the hold once. Thread-safe. */
    public static final class Lease implements Closeable {
        private final Path directory;
        private final DiskSpool spool;
        private boolean released;

        private Lease(Path directory, DiskSpool spool) {
            this.directory = directory;
            this.spool = spool;
        }

        public DiskSpool spool() {
            return spool;
        }

        @Override
        public synchronized void close() throws IOException {
            if (!released) {
                released = true;
                release(directory, spool);
            }
        }
    }
}
