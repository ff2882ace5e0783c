package org.dqlog.archive;

import java.io.IOException;

/**
 * A storage failure that retrying in this process cannot repair: an fsync that failed (the kernel
 * may have dropped the dirty pages and a second fsync would report success for data that is
 * gone: "fsyncgate"; PostgreSQL panics on it, and so does the collector), or an index writer that
 * closed itself after an I/O error (a Lucene tragic event). Nothing of the batch was acknowledged;
 * the process must stop, and the next start recovers from the files.
 */
public final class UnrecoverableStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean aftermath;

    public UnrecoverableStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private UnrecoverableStoreException(String message, Throwable cause, boolean aftermath) {
        super(message, cause);
        this.aftermath = aftermath;
    }

    /** What every use of a store abandoned earlier throws: the failure was reported already. */
    static UnrecoverableStoreException abandoned(String reason) {
        return new UnrecoverableStoreException("the store was abandoned: " + reason, null, true);
    }

    /** True when this only says that the store was abandoned before (for an earlier failure). */
    public boolean isAftermath() {
        return aftermath;
    }
}
