package org.dqlog.core.subscribe;

/**
 * Receives the messages of a {@link FanInSubscriber}.
 *
 * <p>Called on the reader thread of the session that received the message ({@code
 * dqlog-stomp-reader-HOST:PORT}): one call at a time, in the broker's order, for each broker; concurrently
 * for different brokers. While the handler runs, that session reads nothing more, so a slow
 * handler slows down only its own broker (TCP pushes back, and the broker sends at most the
 * prefetch count of unacknowledged messages anyway); heart-beats wait in the socket buffer and do
 * not time out. For group commit, hand the delivery to a batching thread (a bounded queue) and
 * return.
 *
 * <p>An exception thrown here is reported to the subscriber's Status, and the session that
 * delivered the message is closed and reopened after a backoff delay; the broker redelivers every
 * message of that session that was not acknowledged, this one included. So a message that cannot
 * be decoded must be handled (dead-lettered and acknowledged), not thrown about. A message on
 * which the handler keeps failing comes back, up to {@link FanInSubscriber.Builder#maxDeliveryAttempts
 * the bounded number of attempts}; then it goes to {@link #onPoison} instead.
 */
@FunctionalInterface
public interface DeliveryHandler {

    void onDelivery(Delivery delivery) throws Exception;

    /**
     * The handler failed on this message (same broker, same {@code message-id}) on each of its
     * last attempts: set it aside (a dead letter) so that it is acknowledged with what follows.
     * The default does nothing: the message is then acknowledged with the next acknowledgement
     * of its subscription, so a handler that must not lose it overrides this. An exception
     * thrown here counts as one more failure.
     *
     * @param lastFailure what the handler threw the last time
     */
    default void onPoison(Delivery delivery, Exception lastFailure) throws Exception {
    }
}
