package org.dqlog.core.subscribe;

/**
 * Told of every change of a broker's {@link ConnectionState}, for example to keep a health page
 * current ({@link FanInSubscriber#brokers()} gives the same snapshots on demand).
 *
 * <p>Called on the broker's connection thread ({@code dqlog-subscriber-NAME-HOST:PORT}), one call
 * at a time per broker, concurrently for different brokers; in order for each broker. Must be
 * quick and must not block; an exception thrown here is reported to the subscriber's Status and
 * otherwise ignored.
 */
public interface BrokerStateListener {

    void onStateChanged(BrokerStatus status);

    /** Ignores every change. */
    BrokerStateListener NONE = status -> { };
}
