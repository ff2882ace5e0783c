package org.dqlog.core.subscribe;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.StompSession;

/**
 * One subscription on one session: the epoch that deliveries belong to and are acknowledged on.
 * A reconnect makes new channels, so a delivery of a dead session can never be acknowledged on a
 * newer one (its ack would either be refused or, worse, acknowledge the redelivered copies of
 * messages that are not durable yet).
 *
 * <p>Thread-safe: deliveries are numbered on the reader thread, acknowledged from any thread.
 */
final class SubscriptionChannel {

    /** What became of an acknowledgement. */
    enum AckOutcome {
        /** An ACK frame was written for this delivery. */
        SENT,
        /** A later (or the same) delivery was acknowledged already; cumulative acks cover this one. */
        COVERED,
        /** Auto-acknowledged subscription: the broker counted the message as consumed on dispatch. */
        NOT_NEEDED,
        /** The session ended first; the broker redelivers the message to another session. */
        DROPPED
    }

    private final StompSession session;
    private final String id;
    private final String destination;
    private final boolean clientAck;
    private final AtomicLong received = new AtomicLong();
    private long ackedSequence; // guarded by this

    SubscriptionChannel(StompSession session, String id, String destination, boolean clientAck) {
        this.session = session;
        this.id = id;
        this.destination = destination;
        this.clientAck = clientAck;
    }

    BrokerAddress broker() {
        return session.address();
    }

    String id() {
        return id;
    }

    String destination() {
        return destination;
    }

    boolean isOpen() {
        return session.isOpen();
    }

    /** Numbers deliveries in the broker's order: the highest number of a group is its last. */
    long nextSequence() {
        return received.incrementAndGet();
    }

    /**
     * Acknowledges the delivery numbered {@code sequence} and, the subscription being in client
     * (cumulative) mode, every earlier one, with one ACK frame on this channel's session.
     * Serialised, so concurrent acks of one channel never go out of order.
     */
    synchronized AckOutcome ackUpTo(long sequence, String ackId) {
        if (!clientAck) {
            return AckOutcome.NOT_NEEDED;
        }
        if (sequence <= ackedSequence) {
            return AckOutcome.COVERED;
        }
        if (ackId == null || !session.isOpen()) {
            return AckOutcome.DROPPED;
        }
        try {
            session.ack(ackId);
        } catch (IOException e) {
            // The session has failed and reports why through its listener; the broker redelivers.
            return AckOutcome.DROPPED;
        }
        ackedSequence = sequence;
        return AckOutcome.SENT;
    }

    @Override
    public String toString() {
        return "subscription " + id + " to " + destination + " on " + session;
    }
}
