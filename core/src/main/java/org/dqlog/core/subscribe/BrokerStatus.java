package org.dqlog.core.subscribe;

import java.time.Instant;
import java.util.Objects;

import org.dqlog.core.config.BrokerAddress;

/**
 * What a {@link FanInSubscriber} knows of its session with one broker at one moment, for a
 * health page: the state, since when, and the error that ended the last session or attempt.
 *
 * <p>Immutable, so thread-safe. Error texts are the exceptions' messages, which never carry the
 * passcode.
 */
public final class BrokerStatus {

    private final String subscriber;
    private final BrokerAddress broker;
    private final ConnectionState state;
    private final Instant since;
    private final Throwable lastFailure;
    private final int failedAttempts;

    BrokerStatus(String subscriber, BrokerAddress broker, ConnectionState state, Instant since,
            Throwable lastFailure, int failedAttempts) {
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.state = Objects.requireNonNull(state, "state");
        this.since = Objects.requireNonNull(since, "since");
        this.lastFailure = lastFailure;
        this.failedAttempts = failedAttempts;
    }

    /** The {@link FanInSubscriber.Builder#name name} of the subscriber, e.g. {@code logging} or {@code panic}. */
    public String subscriber() {
        return subscriber;
    }

    /** The broker, pinned to one address when its name resolved ({@code tcp://mq:61613 (10.0.0.7)}). */
    public BrokerAddress broker() {
        return broker;
    }

    public ConnectionState state() {
        return state;
    }

    /** When the state last changed. */
    public Instant since() {
        return since;
    }

    /**
     * What ended the last session or made the last attempt fail; null while {@link
     * ConnectionState#CONNECTED CONNECTED}, before the first failure, and after a clean close.
     */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** {@link #lastFailure()}'s class and message, or null. */
    public String lastError() {
        if (lastFailure == null) {
            return null;
        }
        String message = lastFailure.getMessage();
        return lastFailure.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }

    /** Attempts that failed since the last session that stayed up; 0 while connected. */
    public int failedAttempts() {
        return failedAttempts;
    }

    @Override
    public String toString() {
        String error = lastError();
        return subscriber + " " + broker + " " + state + " since " + since
                + (failedAttempts > 0 ? ", " + failedAttempts + " failed attempts" : "")
                + (error != null ? ", last error: " + error : "");
    }
}
