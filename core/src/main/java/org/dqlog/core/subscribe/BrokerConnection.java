package org.dqlog.core.subscribe;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;

/**
 * The subscriber's life with one broker address: open a session, subscribe to every destination,
 * consume until the session ends, wait a backoff delay, and again, until stopped. Runs on its own
 * thread, so a broker that hangs a connect attempt delays no other broker.
 *
 * <p>Thread-safe: {@link #stop()} and {@link #status()} may be called from any thread.
 */
final class BrokerConnection {

    private static final String SUBSCRIPTION_ID_PREFIX = "dqlog-";

    private final BrokerAddress address;
    private final SubscriberSettings settings;
    private final Thread thread;
    private final Object lock = new Object();
    private final FailedAttempts failedAttempts;
    private boolean stopping; // guarded by lock
    private volatile BrokerStatus status;

    BrokerConnection(BrokerAddress address, SubscriberSettings settings) {
        this.address = address;
        this.settings = settings;
        this.failedAttempts = new FailedAttempts(settings.maxDeliveryAttempts);
        this.status = new BrokerStatus(settings.name, address, ConnectionState.CONNECTING, settings.clock.instant(),
                null, 0);
        this.thread = new Thread(this::run, "dqlog-subscriber-" + settings.name + "-" + address.host() + ":"
                + address.port());
        thread.setDaemon(true);
    }

    BrokerAddress address() {
        return address;
    }

    BrokerStatus status() {
        return status;
    }

    void start() {
        thread.start();
    }

    /** Asks the connection to close its session and end; returns at once. */
    void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }

    /** Waits at most {@code timeout} for the connection thread to end; true if it did. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        if (thread == Thread.currentThread()) {
            return false;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private void run() {
        int failures = 0;
        Throwable lastFailure = null;
        try {
            while (!isStopping()) {
                report(ConnectionState.CONNECTING, lastFailure, failures);
                SessionRun run = new SessionRun();
                long connectedAt = 0;
                Throwable failure;
                try {
                    StompSession session = StompSession.open(address, settings.sessionConfig, run);
                    run.subscribeAll(session);
                    connectedAt = System.nanoTime();
                    if (failures > 0) {
                        settings.status.info("subscriber '" + settings.name + "' consuming from " + address
                                + " again after " + failures + " failed attempts");
                    }
                    report(ConnectionState.CONNECTED, null, 0);
                    failure = run.awaitEnd();
                } catch (IOException | RuntimeException e) {
                    run.closeSession();
                    failure = e;
                }
                if (isStopping()) {
                    break;
                }
                boolean wasStable = connectedAt != 0
                        && System.nanoTime() - connectedAt >= settings.backoff.max().toNanos();
                failures = wasStable ? 1 : failures + 1;
                lastFailure = failure != null ? failure
                        : new IOException("session to " + address + " ended without a reason");
                if (failures == 1) {
                    settings.status.warn("subscriber '" + settings.name + "' "
                            + (connectedAt != 0 ? "lost" : "cannot reach") + " broker " + address + ": "
                            + lastFailure.getMessage() + "; reconnecting with backoff", lastFailure);
                }
                report(ConnectionState.DOWN, lastFailure, failures);
                sleep(settings.backoff.delay(failures));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            report(ConnectionState.CLOSED, null, 0);
        }
    }

    private void sleep(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private void report(ConnectionState state, Throwable failure, int failures) {
        BrokerStatus next = new BrokerStatus(settings.name, address, state, settings.clock.instant(), failure, failures);
        status = next;
        try {
            settings.stateListener.onStateChanged(next);
        } catch (RuntimeException e) {
            settings.status.warn("subscriber '" + settings.name + "': broker state listener failed on " + next, e);
        }
    }

    /**
     * One session (one epoch): its subscriptions, the messages it delivers, and how it ended. The
     * reader thread calls {@link #onMessage} and {@link #onClosed}; the connection thread waits
     * in {@link #awaitEnd()}.
     */
    private final class SessionRun implements SessionListener {

        private final Map<String, SubscriptionChannel> channels = new ConcurrentHashMap<>();
        private volatile StompSession session;
        private volatile Throwable handlerFailure;
        private boolean ended; // guarded by lock
        private Throwable endCause; // guarded by lock

        void subscribeAll(StompSession opened) throws IOException {
            session = opened;
            boolean clientAck = settings.ackMode != AckMode.AUTO;
            int index = 0;
            for (String destination : settings.destinations) {
                String id = SUBSCRIPTION_ID_PREFIX + index++;
                // Registered before SUBSCRIBE goes out: its first MESSAGE may follow at once.
                channels.put(id, new SubscriptionChannel(opened, id, destination, clientAck));
                opened.subscribe(id, destination, settings.ackMode, settings.subscribeHeaders);
            }
        }

        /** Waits until the session ends or the connection is stopped (then closes the session cleanly). */
        Throwable awaitEnd() throws InterruptedException {
            synchronized (lock) {
                while (!ended && !stopping) {
                    lock.wait();
                }
                if (ended) {
                    return handlerFailure != null ? handlerFailure : endCause;
                }
            }
            closeSession();
            return null;
        }

        void closeSession() {
            StompSession s = session;
            if (s != null) {
                s.close();
            }
        }

        @Override
        public void onMessage(StompSession from, Frame message) {
            SubscriptionChannel channel = channels.get(String.valueOf(message.header("subscription")));
            if (channel == null) {
                return; // not one of ours; cannot happen, as every channel is registered before its SUBSCRIBE
            }
            Delivery delivery = new Delivery(channel, channel.nextSequence(), message, settings.clock.instant());
            String messageId = delivery.messageId();
            try {
                Exception poison = failedAttempts.exhausted(messageId);
                if (poison == null) {
                    settings.handler.onDelivery(delivery);
                } else {
                    settings.status.error("subscriber '" + settings.name + "': handler failed "
                            + settings.maxDeliveryAttempts + " times on message " + messageId + " from " + address
                            + "; setting it aside as poison", poison);
                    settings.handler.onPoison(delivery, poison);
                }
                failedAttempts.succeeded(messageId);
            } catch (Exception e) {
                // An InterruptedException is not passed on: this reader thread ends with the session anyway.
                failedAttempts.failed(messageId, e);
                handlerFailure = e;
                settings.status.error("subscriber '" + settings.name + "': handler failed on message "
                        + delivery.messageId() + " from " + address + " (" + delivery.destination()
                        + "); closing that session, the broker will redeliver what it had not acknowledged", e);
                from.close();
            }
        }

        @Override
        public void onClosed(StompSession from, Throwable cause) {
            synchronized (lock) {
                ended = true;
                endCause = cause;
                lock.notifyAll();
            }
        }
    }
}
