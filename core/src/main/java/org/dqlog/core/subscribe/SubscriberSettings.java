package org.dqlog.core.subscribe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.dqlog.core.Backoff;
import org.dqlog.core.Status;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.SessionConfig;

/** What every broker connection of one {@link FanInSubscriber} shares. Immutable, so thread-safe. */
final class SubscriberSettings {

    final String name;
    final List<String> destinations;
    final Map<String, String> subscribeHeaders;
    final AckMode ackMode;
    final SessionConfig sessionConfig;
    final Backoff backoff;
    final DeliveryHandler handler;
    final BrokerStateListener stateListener;
    final Status status;
    final Clock clock;
    final int maxDeliveryAttempts;

    SubscriberSettings(String name, List<String> destinations, Map<String, String> subscribeHeaders,
            AckMode ackMode, SessionConfig sessionConfig, Backoff backoff, DeliveryHandler handler,
            BrokerStateListener stateListener, Status status, Clock clock, int maxDeliveryAttempts) {
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.name = name;
        this.destinations = destinations;
        this.subscribeHeaders = subscribeHeaders;
        this.ackMode = ackMode;
        this.sessionConfig = sessionConfig;
        this.backoff = backoff;
        this.handler = handler;
        this.stateListener = stateListener;
        this.status = status;
        this.clock = clock;
    }

    /** The longest a connection thread may take to notice a stop and close its session. */
    Duration stopBound() {
        return sessionConfig.connectTimeout().plus(sessionConfig.sendTimeout())
                .plus(sessionConfig.disconnectTimeout()).plusSeconds(1);
    }
}
