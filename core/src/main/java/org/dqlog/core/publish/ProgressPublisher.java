package org.dqlog.core.publish;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.dqlog.core.ProgressMessage;

/**
 * Publishes messages of the progress topic ({@value ProgressMessage#DESTINATION}): {@code RunStart},
 * {@code RunEnd}, ... with {@code MsgType}, the producer's own headers (for selectors) and
 * {@code persistent:true}, confirmed by a receipt like every other batch of the {@link Publisher}.
 *
 * <p>Not thread-safe, like the publisher it wraps.
 */
public final class ProgressPublisher {

    private final Publisher publisher;

    public ProgressPublisher(Publisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * Sends one message and returns once a broker confirmed it.
     *
     * @throws PublishException also when the broker refused it (not authorised, too large): for good
     */
    public void publish(ProgressMessage message) throws PublishException {
        failOnRefusal(publisher.publish(Collections.singletonList(toMessage(message))));
    }

    /**
     * Sends the messages in order, confirmed by one receipt.
     *
     * @throws PublishException also when the broker refused any of them (the others were stored)
     */
    public void publish(List<ProgressMessage> messages) throws PublishException {
        List<OutboundMessage> batch = new ArrayList<>(messages.size());
        for (ProgressMessage m : messages) {
            batch.add(toMessage(m));
        }
        failOnRefusal(publisher.publish(batch));
    }

    private static void failOnRefusal(List<Refusal> refusals) throws PublishException {
        if (!refusals.isEmpty()) {
            // a refusal is the broker's final word (its authorization, its size limit): no retry will help
            PublishException e = new PublishException("the broker refused for good: " + Refusal.describe(refusals));
            e.everyBrokerRefused(true);
            throw e;
        }
    }

    /** The SEND of a progress message: to {@value ProgressMessage#DESTINATION} with {@link ProgressMessage#sendHeaders()}. */
    public static OutboundMessage toMessage(ProgressMessage message) {
        return OutboundMessage.of(ProgressMessage.DESTINATION, message.sendHeaders(), message.bodyBytes());
    }
}
