package org.dqlog.core.subscribe;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The deliveries of one group commit, from any brokers, acknowledged together: {@link #ack()}
 * sends one ACK frame per (session, subscription), for the last delivery of the group on it,
 * which the broker applies cumulatively to every earlier one. Only the last delivery of each
 * subscription is kept, so a group costs memory per subscription, not per message.
 *
 * <p>A group must hold, for each subscription, everything received before its last delivery
 * there (a prefix of that subscription's deliveries), because acknowledging the last one
 * acknowledges them all. A collector that batches deliveries in the order its handler received
 * them, and acknowledges whole batches in order, satisfies that. Add duplicates too (a record
 * already stored under its id): they are skipped for storage, not for acknowledgement.
 *
 * <p>Not thread-safe: one batching thread fills and acknowledges a group.
 */
public final class AckGroup {

    private final Map<SubscriptionChannel, Delivery> lastBySubscription = new IdentityHashMap<>();
    private int size;

    /** Adds a delivery; the group remembers only the last one of each subscription. */
    public AckGroup add(Delivery delivery) {
        lastBySubscription.merge(delivery.channel(), delivery,
                (kept, added) -> added.sequence() > kept.sequence() ? added : kept);
        size++;
        return this;
    }

    public AckGroup addAll(Collection<? extends Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            add(delivery);
        }
        return this;
    }

    /** Deliveries added since the group was made or last acknowledged. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Sessions (brokers x subscriptions) the group spans. */
    public int subscriptions() {
        return lastBySubscription.size();
    }

    /**
     * Acknowledges the group and empties it. Acknowledgements for sessions that have ended are
     * dropped silently (the broker redelivers those messages); a session that fails while we
     * write makes us wait at most its send timeout. Never throws.
     */
    public Result ack() {
        int sent = 0;
        int dropped = 0;
        for (Delivery last : lastBySubscription.values()) {
            SubscriptionChannel.AckOutcome outcome = last.acknowledge();
            if (outcome == SubscriptionChannel.AckOutcome.SENT) {
                sent++;
            } else if (outcome == SubscriptionChannel.AckOutcome.DROPPED) {
                dropped++;
            }
        }
        lastBySubscription.clear();
        size = 0;
        return new Result(sent, dropped);
    }

    /** Acknowledges {@code deliveries} as one group. */
    public static Result ackAll(Collection<? extends Delivery> deliveries) {
        return new AckGroup().addAll(deliveries).ack();
    }

    /** What {@link #ack()} did. Immutable. */
    public static final class Result {
        private final int framesSent;
        private final int dropped;

        Result(int framesSent, int dropped) {
            this.framesSent = framesSent;
            this.dropped = dropped;
        }

        /** ACK frames written: one per subscription of a live session not already acknowledged that far. */
        public int framesSent() {
            return framesSent;
        }

        /** Subscriptions whose session had ended: their messages will be redelivered. */
        public int dropped() {
            return dropped;
        }

        @Override
        public String toString() {
            return "AckGroup.Result[framesSent=" + framesSent + ", dropped=" + dropped + "]";
        }
    }
}
