package org.dqlog.core.subscribe;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.dqlog.core.Backoff;
import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.SessionConfig;

/**
 * Consumes the same destinations from every broker at once: one {@link
 * org.dqlog.core.stomp.StompSession} per broker address (each configured URI, and each address of
 * a name that resolves to several, since the brokers do not forward messages to each other), all
 * handing their messages to one {@link DeliveryHandler} as {@link Delivery} objects.
 *
 * <p>Each broker lives on its own: it connects, subscribes, and after any failure reconnects
 * after a capped, jittered exponential backoff, while the others keep consuming. State changes go
 * to the {@link BrokerStateListener} and {@link #brokers()}; trouble to the {@link Status}.
 * Names are resolved again every {@link Builder#resolveInterval resolve interval}: a new address
 * gets a session, a vanished one is closed (a name that fails to resolve for a while keeps the
 * sessions it has).
 *
 * <p>Acknowledgement: in {@link AckMode#CLIENT} mode (the default) nothing is acknowledged until
 * the consumer says so, through {@link Delivery#ack()} or an {@link AckGroup}; an ACK is
 * cumulative per subscription, as ActiveMQ applies STOMP's {@code client} mode; the
 * prefetch ({@value #DEFAULT_PREFETCH} by default) must exceed a group, or the broker stops
 * sending before the group is full. Nothing is ever NACKed (ActiveMQ dead-letters a NACKed
 * message at once): what a session had not acknowledged when it ended is redelivered.
 * A collector runs one subscriber per urgency (one for the panic queue, one for the logging
 * queue), so that a backlog on one never delays the other.
 *
 * <p>Thread-safe. Threads: one {@code dqlog-subscriber-NAME-HOST:PORT} per broker (connecting and
 * waiting out backoffs), the sessions' own reader and timer threads, and one {@code
 * dqlog-subscriber-NAME-resolve} timer; all daemons.
 */
public final class FanInSubscriber implements AutoCloseable {

    /** Messages a broker sends ahead of acknowledgements, per subscription: {@value}. */
    public static final int DEFAULT_PREFETCH = 1000;
    /** First reconnect delay (randomised to between half and all of it): 1 s. */
    public static final Duration DEFAULT_RECONNECT_MIN_DELAY = Duration.ofSeconds(1);
    /** Longest reconnect delay: 30 s. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);
    /** How often broker names are resolved again: 60 s. */
    public static final Duration DEFAULT_RESOLVE_INTERVAL = Duration.ofSeconds(60);
    /** Times the handler may fail on one message before it goes to {@link DeliveryHandler#onPoison}: {@value}. */
    public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;
    /** Name in thread names, status messages and {@link BrokerStatus#subscriber()}: {@value}. */
    public static final String DEFAULT_NAME = "subscriber";
    /** ActiveMQ's STOMP subscription header for the prefetch. */
    public static final String PREFETCH_HEADER = "activemq.prefetchSize";
    public static final String SELECTOR_HEADER = "selector";

    private final SubscriberSettings settings;
    private final BrokerResolver resolver;
    private final Map<BrokerAddress, BrokerConnection> connections = new LinkedHashMap<>(); // guarded by this
    private final List<BrokerConnection> retired = new ArrayList<>(); // guarded by this
    private final ScheduledExecutorService resolveTimer;
    private boolean closed; // guarded by this

    private FanInSubscriber(Builder b) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PREFETCH_HEADER, Integer.toString(b.prefetch));
        if (b.selector != null) {
            headers.put(SELECTOR_HEADER, b.selector);
        }
        headers.putAll(b.subscribeHeaders);
        this.settings = new SubscriberSettings(b.name, Collections.unmodifiableList(new ArrayList<>(b.destinations)),
                Collections.unmodifiableMap(headers), b.ackMode, b.sessionConfig,
                new Backoff(b.reconnectMinDelay, b.reconnectMaxDelay), b.handler, b.stateListener, b.status, b.clock,
                b.maxDeliveryAttempts);
        this.resolver = b.resolver;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "dqlog-subscriber-" + b.name + "-resolve");
            t.setDaemon(true);
            return t;
        });
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.resolveTimer = timer;
        refresh();
        if (!b.resolveInterval.isZero()) {
            long millis = b.resolveInterval.toMillis();
            resolveTimer.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts configuring a subscriber of {@code brokers}; names are resolved through {@code brokers}. */
    public static Builder builder(BrokerResolver brokers) {
        return new Builder(brokers);
    }

    /** Starts configuring a subscriber of {@code brokers}, resolving names through the JVM's name service. */
    public static Builder builder(List<BrokerAddress> brokers) {
        return new Builder(new BrokerResolver(brokers));
    }

    public String name() {
        return settings.name;
    }

    /** The destinations every session subscribes to, in subscription order. */
    public List<String> destinations() {
        return settings.destinations;
    }

    /** The state of every broker address currently consumed from, in resolution order. */
    public synchronized List<BrokerStatus> brokers() {
        List<BrokerStatus> result = new ArrayList<>(connections.size());
        for (BrokerConnection connection : connections.values()) {
            result.add(connection.status());
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * Resolves the broker names now (the resolve timer does so periodically): opens sessions for
     * new addresses and closes those of vanished ones. Never throws.
     */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        List<BrokerAddress> resolved;
        try {
            resolved = resolver.resolve();
        } catch (RuntimeException e) {
            settings.status.warn("subscriber '" + settings.name + "': cannot resolve the broker list; keeping "
                    + connections.size() + " sessions", e);
            return;
        }
        retired.removeIf(connection -> connection.status().state() == ConnectionState.CLOSED);
        Set<BrokerAddress> wanted = keepPinnedWhileUnresolvable(resolved);
        for (Iterator<Map.Entry<BrokerAddress, BrokerConnection>> it = connections.entrySet().iterator(); it.hasNext();) {
            Map.Entry<BrokerAddress, BrokerConnection> entry = it.next();
            if (!wanted.contains(entry.getKey())) {
                settings.status.info("subscriber '" + settings.name + "': broker " + entry.getKey()
                        + " is no longer in the broker list; closing its session");
                entry.getValue().stop();
                retired.add(entry.getValue());
                it.remove();
            }
        }
        for (BrokerAddress address : wanted) {
            if (!connections.containsKey(address)) {
                BrokerConnection connection = new BrokerConnection(address, settings);
                connections.put(address, connection);
                connection.start();
            }
        }
    }

    /**
     * A name that does not resolve comes back unpinned; while we still have sessions to
     * addresses of that name, that is a DNS hiccup, not a removal: keep them.
     */
    private Set<BrokerAddress> keepPinnedWhileUnresolvable(List<BrokerAddress> resolved) {
        Set<BrokerAddress> wanted = new LinkedHashSet<>();
        for (BrokerAddress address : resolved) {
            if (address.resolved() != null) {
                wanted.add(address);
                continue;
            }
            boolean kept = false;
            for (BrokerAddress current : connections.keySet()) {
                if (current.resolved() != null && sameBroker(current, address)) {
                    wanted.add(current);
                    kept = true;
                }
            }
            if (!kept) {
                wanted.add(address);
            }
        }
        return wanted;
    }

    private static boolean sameBroker(BrokerAddress a, BrokerAddress b) {
        return a.scheme() == b.scheme() && a.host().equals(b.host()) && a.port() == b.port();
    }

    /**
     * Closes every session (DISCONNECT, so the broker redelivers whatever was not acknowledged)
     * and stops reconnecting. Waits for each broker at most its connect, send and disconnect
     * timeouts together, the brokers in parallel. Idempotent; never throws. Acknowledge the last
     * group before closing: acknowledgements of closed sessions are dropped.
     */
    @Override
    public void close() {
        List<BrokerConnection> stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            resolveTimer.shutdownNow();
            stopping = new ArrayList<>(connections.values());
            stopping.addAll(retired);
            connections.clear();
            retired.clear();
        }
        for (BrokerConnection connection : stopping) {
            connection.stop();
        }
        long deadline = System.nanoTime() + settings.stopBound().toNanos();
        try {
            for (BrokerConnection connection : stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !connection.awaitStopped(Duration.ofNanos(left))) {
                    settings.status.warn("subscriber '" + settings.name + "': session to " + connection.address()
                            + " did not close within " + settings.stopBound() + "; leaving it to end on its own", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized String toString() {
        return "FanInSubscriber[" + settings.name + " " + settings.destinations + ", " + connections.size()
                + " brokers" + (closed ? ", closed" : "") + "]";
    }

    /** Configures and {@link #start starts} a {@link FanInSubscriber}. Not thread-safe. */
    public static final class Builder {
        private final BrokerResolver resolver;
        private final List<String> destinations = new ArrayList<>();
        private String selector;
        private final Map<String, String> subscribeHeaders = new LinkedHashMap<>();
        private AckMode ackMode = AckMode.CLIENT;
        private int prefetch = DEFAULT_PREFETCH;
        private SessionConfig sessionConfig = SessionConfig.DEFAULTS;
        private Duration reconnectMinDelay = DEFAULT_RECONNECT_MIN_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private Duration resolveInterval = DEFAULT_RESOLVE_INTERVAL;
        private String name = DEFAULT_NAME;
        private DeliveryHandler handler;
        private BrokerStateListener stateListener = BrokerStateListener.NONE;
        private Status status = Status.SILENT;
        private Clock clock = Clock.systemUTC();
        private int maxDeliveryAttempts = DEFAULT_MAX_DELIVERY_ATTEMPTS;

        private Builder(BrokerResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "brokers");
        }

        /** Adds destinations every session subscribes to (for example {@code Destinations.LOGGING}). */
        public Builder destinations(String... values) {
            destinations.addAll(Arrays.asList(values));
            return this;
        }

        /** A JMS selector on the messages' headers ({@code MsgType = 'RunEnd'}); null for none. */
        public Builder selector(String value) {
            this.selector = value;
            return this;
        }

        /**
         * An extra SUBSCRIBE header, for example ActiveMQ's {@code activemq.subscriptionName} that
         * makes a topic subscription durable (with a {@link SessionConfig#clientId() client-id}).
         */
        public Builder subscribeHeader(String name, String value) {
            subscribeHeaders.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * {@link AckMode#CLIENT} (default: the consumer acknowledges, cumulatively) or {@link
         * AckMode#AUTO} (the broker counts a message consumed when it sends it; for topics).
         */
        public Builder ackMode(AckMode value) {
            this.ackMode = value;
            return this;
        }

        /** Messages the broker sends ahead of acknowledgements; must exceed a group. Default {@value #DEFAULT_PREFETCH}. */
        public Builder prefetch(int value) {
            this.prefetch = value;
            return this;
        }

        /** Timeouts, heart-beat, credentials and TLS of every session. */
        public Builder sessionConfig(SessionConfig value) {
            this.sessionConfig = value;
            return this;
        }

        /** Reconnect backoff: doubling from {@code min} to {@code max}, each delay randomised to between half and all of it. */
        public Builder reconnectDelay(Duration min, Duration max) {
            this.reconnectMinDelay = min;
            this.reconnectMaxDelay = max;
            return this;
        }

        /** How often names are resolved again; zero for never. */
        public Builder resolveInterval(Duration value) {
            this.resolveInterval = value;
            return this;
        }

        /** Says which subscriber this is ({@code logging}, {@code panic}) in thread names, status messages and {@link BrokerStatus}. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** Receives every message; required. */
        public Builder handler(DeliveryHandler value) {
            this.handler = value;
            return this;
        }

        public Builder stateListener(BrokerStateListener value) {
            this.stateListener = value;
            return this;
        }

        /** Where trouble is reported; default silent. */
        public Builder status(Status value) {
            this.status = value;
            return this;
        }

        /**
         * How often the handler may fail on one message (by {@code message-id}, per broker) before
         * it goes to {@link DeliveryHandler#onPoison} instead; default {@value #DEFAULT_MAX_DELIVERY_ATTEMPTS}.
         */
        public Builder maxDeliveryAttempts(int value) {
            this.maxDeliveryAttempts = value;
            return this;
        }

        /** The clock of {@link Delivery#receivedAt()} and {@link BrokerStatus#since()}. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Starts consuming: resolves the brokers (one name-service lookup per host, on this
         * thread) and starts one connection per address in the background; returns without
         * waiting for any broker.
         *
         * @throws IllegalArgumentException naming what is missing or wrong
         */
        public FanInSubscriber start() {
            if (handler == null) {
                throw new IllegalArgumentException("a subscriber needs a handler");
            }
            if (destinations.isEmpty()) {
                throw new IllegalArgumentException("a subscriber needs at least one destination");
            }
            if (new LinkedHashSet<>(destinations).size() != destinations.size()) {
                throw new IllegalArgumentException("destination subscribed twice: " + destinations);
            }
            Objects.requireNonNull(ackMode, "ackMode");
            if (ackMode == AckMode.CLIENT_INDIVIDUAL) {
                throw new IllegalArgumentException("ack mode client-individual is not supported: acknowledge groups"
                        + " cumulatively with client, or use auto");
            }
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch must be at least 1: " + prefetch);
            }
            if (maxDeliveryAttempts < 1) {
                throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1: " + maxDeliveryAttempts);
            }
            Objects.requireNonNull(sessionConfig, "sessionConfig");
            Objects.requireNonNull(reconnectMinDelay, "reconnectMinDelay");
            Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
            if (resolveInterval == null || resolveInterval.isNegative()) {
                throw new IllegalArgumentException("resolve interval must be zero or positive: " + resolveInterval);
            }
            if (name == null || name.trim().isEmpty()) {
                throw new IllegalArgumentException("subscriber name must not be blank");
            }
            Objects.requireNonNull(stateListener, "stateListener");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(clock, "clock");
            return new FanInSubscriber(this);
        }
    }
}
