package org.dqlog.core.subscribe;

/** Where a {@link FanInSubscriber}'s session with one broker stands. */
public enum ConnectionState {
    /** Opening a session and subscribing; {@link BrokerStatus#lastError()} says why the previous one ended, if one did. */
    CONNECTING,
    /** Subscribed and consuming. */
    CONNECTED,
    /** No session: the last one failed or could not be opened; the next attempt waits for its backoff delay. */
    DOWN,
    /** No longer consumed: the subscriber was closed, or the address vanished from the broker's DNS name. Final. */
    CLOSED
}
