package org.dqlog.core.subscribe;

import java.time.Instant;
import java.util.Map;

import org.dqlog.core.MessageHeaders;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.FrameDamage;

/**
 * One message from one broker, as a {@link FanInSubscriber} hands it to its {@link
 * DeliveryHandler}, with the means to acknowledge it.
 *
 * <p>Acknowledging is cumulative: {@link #ack()} acknowledges this delivery and every earlier
 * delivery of the same subscription on the same session ("ack up to here"). So acknowledge a
 * delivery only once everything received before it from that broker on that destination is
 * durable; {@link AckGroup} sends one ACK per (session, subscription) for the last delivery of a
 * group. A delivery belongs to the session that received it: when that session has ended, its
 * acknowledgement is dropped, never sent on a newer session; the broker redelivers the message
 * (with the same {@code message-id}), and the consumer deduplicates.
 *
 * <p>Thread-safe: may be passed to and acknowledged from any thread. {@link #body()} returns the
 * received array itself, which must not be modified.
 */
public final class Delivery {

    private final SubscriptionChannel channel;
    private final long sequence;
    private final Frame message;
    private final Instant receivedAt;

    Delivery(SubscriptionChannel channel, long sequence, Frame message, Instant receivedAt) {
        this.channel = channel;
        this.sequence = sequence;
        this.message = message;
        this.receivedAt = receivedAt;
    }

    /** The broker whose session received the message. */
    public BrokerAddress broker() {
        return channel.broker();
    }

    /** The message's {@code destination} header, else the destination subscribed to. */
    public String destination() {
        String header = message.header(MessageHeaders.DESTINATION);
        return header != null ? header : channel.destination();
    }

    /** Every header of the MESSAGE frame, unescaped, in wire order; unmodifiable. */
    public Map<String, String> headers() {
        return message.headers();
    }

    /** A header's value, or null. */
    public String header(String name) {
        return message.header(name);
    }

    /** The broker's {@code message-id}, stable across redeliveries; null if the broker sent none. */
    public String messageId() {
        return message.header(MessageHeaders.MESSAGE_ID);
    }

    /** True when the broker says it delivered this message before (ActiveMQ's {@code redelivered} header). */
    public boolean isRedelivered() {
        return "true".equals(message.header("redelivered"));
    }

    /** The body bytes, not copied: do not modify. Empty, never null. */
    public byte[] body() {
        return message.body();
    }

    /**
     * Null for a message read whole; else why its body is not what was sent (a body longer than
     * its {@code content-length}, or a frame over the size limit of which only the start was
     * kept). Such a message cannot be decoded: set it aside and acknowledge it.
     */
    public FrameDamage damage() {
        return message.damage();
    }

    /** When the subscriber read the message, by its clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * Acknowledges this delivery and every earlier one of its subscription on its session (one
     * ACK frame, unless a later delivery was acknowledged already). Waits at most the session's
     * send timeout. Never throws.
     *
     * @return false if the acknowledgement was dropped because the session has ended (the broker
     *         will redeliver); true otherwise, also for an auto-acknowledged subscription
     */
    public boolean ack() {
        return acknowledge() != SubscriptionChannel.AckOutcome.DROPPED;
    }

    /** True while the session that received this delivery is open, so that an {@link #ack()} can still reach the broker. */
    public boolean isAckable() {
        return channel.isOpen();
    }

    SubscriptionChannel.AckOutcome acknowledge() {
        return channel.ackUpTo(sequence, message.header("ack"));
    }

    SubscriptionChannel channel() {
        return channel;
    }

    long sequence() {
        return sequence;
    }

    /** Broker, destination, message-id and size; never the body. */
    @Override
    public String toString() {
        return "Delivery[" + broker() + " " + destination() + " " + messageId() + ", " + message.body().length
                + " bytes]";
    }
}
