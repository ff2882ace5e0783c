package org.dqlog.core.subscribe;

import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.ProgressMessage;

/**
 * Receives the messages of the progress topic, decoded. Called like a {@link DeliveryHandler}:
 * on the delivering session's reader thread, one call at a time per broker.
 */
@FunctionalInterface
public interface ProgressHandler {

    /**
     * One progress message; {@code delivery} tells from which broker and when. An exception
     * closes and reopens that broker's session, as for a {@link DeliveryHandler}.
     */
    void onProgress(ProgressMessage message, Delivery delivery) throws Exception;

    /** A message on the topic that is no progress message (no {@code MsgType}, or a body that is not UTF-8). Ignored by default. */
    default void onMalformed(Delivery delivery, MalformedRecordException problem) {
    }
}
