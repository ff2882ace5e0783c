package org.dqlog.core.publish;

import java.io.IOException;

/**
 * No broker confirmed a batch: every broker was tried once (or the time allowed ran out, or the
 * publisher was aborted). The message names each broker tried and why it failed; the individual
 * failures are attached as suppressed exceptions. The caller keeps the batch (spool it, retry it
 * later); some of its messages may have been stored by a broker anyway, which is why records carry
 * ids and the collector deduplicates.
 */
public class PublishException extends IOException {

    private static final long serialVersionUID = 1L;

    private boolean everyBrokerRefused;

    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when every broker was tried and each refused for good (a refused login or right, an
     * untrusted certificate: see {@link org.dqlog.core.stomp.Refusals}): retrying cannot help.
     */
    public boolean everyBrokerRefused() {
        return everyBrokerRefused;
    }

    void everyBrokerRefused(boolean value) {
        this.everyBrokerRefused = value;
    }
}
