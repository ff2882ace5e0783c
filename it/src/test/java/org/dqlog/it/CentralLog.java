package org.dqlog.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.testing.BatchLines;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.subscribe.Delivery;
import org.dqlog.core.subscribe.FanInSubscriber;
import org.dqlog.it.apps.Workload;

/**
 * The central log as a test sees it: a real {@link FanInSubscriber} on every broker, consuming a
 * test's logging and panic queues, keeping each record by id per queue and counting every delivery
 * (duplicates after a failover are allowed: delivery is at-least-once). Acknowledges cumulatively
 * every {@value #ACK_EVERY} deliveries of a subscription, after keeping them, so a broker killed
 * meanwhile redelivers instead of losing anything.
 *
 * <p>Thread-safe: deliveries arrive on the sessions' reader threads, tests read on theirs.
 */
final class CentralLog implements AutoCloseable {

    static final int ACK_EVERY = 50;
    /** Generous for a busy 2-core machine; reconnects quick so tests stay short. */
    static final SessionConfig SESSION = SessionConfig.builder().heartbeat(Duration.ofSeconds(2))
            .connectTimeout(Duration.ofSeconds(5)).disconnectTimeout(Duration.ofSeconds(2)).build();

    private final String loggingDestination;
    private final Map<String, LogRecord> logging = new ConcurrentHashMap<>();
    private final Map<String, LogRecord> panic = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> panicHeaders = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> loggingDeliveriesByPort = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unacked = new ConcurrentHashMap<>();
    private final AtomicLong loggingDeliveries = new AtomicLong();
    private final AtomicReference<Integer> lastLoggingPort = new AtomicReference<>();
    private final List<String> undecodable = Collections.synchronizedList(new ArrayList<>());
    private final FanInSubscriber subscriber;

    private CentralLog(List<String> brokers, Queues queues, Credentials credentials) {
        this.loggingDestination = queues.logging();
        List<BrokerAddress> addresses = brokers.stream().map(BrokerAddress::parse).collect(Collectors.toList());
        subscriber = FanInSubscriber.builder(addresses)
                .name("central-log")
                .destinations(queues.logging(), queues.panic())
                .sessionConfig(SESSION.toBuilder().credentials(credentials).build())
                .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(1))
                .handler(this::keep)
                .start();
    }

    static CentralLog subscribe(List<String> brokers, Queues queues) {
        return new CentralLog(brokers, queues, Credentials.NONE);
    }

    static CentralLog subscribe(List<String> brokers, Queues queues, Credentials credentials) {
        return new CentralLog(brokers, queues, credentials);
    }

    private void keep(Delivery delivery) {
        List<LogRecord> records;
        try {
            records = BatchLines.records(delivery.headers(), delivery.body());
        } catch (MalformedRecordException e) {
            undecodable.add(delivery + ": " + e.getMessage());
            delivery.ack();
            return;
        }
        for (LogRecord r : records) {
            if (loggingDestination.equals(delivery.destination())) {
                logging.putIfAbsent(r.id(), r);
                loggingDeliveries.incrementAndGet();
                loggingDeliveriesByPort.computeIfAbsent(delivery.broker().port(), p -> new AtomicLong()).incrementAndGet();
                lastLoggingPort.set(delivery.broker().port());
            } else {
                panic.putIfAbsent(r.id(), r);
                panicHeaders.putIfAbsent(r.id(), delivery.headers());
            }
        }
        String subscription = delivery.broker() + " " + delivery.destination();
        if (unacked.computeIfAbsent(subscription, s -> new AtomicInteger()).incrementAndGet() % ACK_EVERY == 0) {
            delivery.ack(); // cumulative: covers every earlier delivery of this subscription on this session
        }
    }

    /** Logging-queue records by id (each id once, however often it was delivered). */
    Map<String, LogRecord> logging() {
        return new LinkedHashMap<>(logging);
    }

    /** Panic-queue records by id. */
    Map<String, LogRecord> panic() {
        return new LinkedHashMap<>(panic);
    }

    Map<String, String> panicHeaders(String id) {
        return panicHeaders.get(id);
    }

    /** Logging-queue records of one application run, by id. */
    Map<String, LogRecord> loggingOf(String run) {
        return ofRun(logging, run);
    }

    /** Panic-queue records of one application run, by id. */
    Map<String, LogRecord> panicOf(String run) {
        return ofRun(panic, run);
    }

    /** The distinct {@code seq} MDC values of a run's records on the logging queue. */
    Set<Integer> seqsOf(String run) {
        return loggingOf(run).values().stream().map(r -> Integer.parseInt(r.mdc().get(Workload.MDC_SEQ)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every delivery from the logging queue, duplicates included. */
    long loggingDeliveries() {
        return loggingDeliveries.get();
    }

    /** Logging-queue deliveries per broker port. */
    Map<Integer, Long> loggingDeliveriesByPort() {
        Map<Integer, Long> copy = new LinkedHashMap<>();
        loggingDeliveriesByPort.forEach((port, count) -> copy.put(port, count.get()));
        return copy;
    }

    /** The port of the broker that delivered the latest logging record, or null. */
    Integer lastLoggingPort() {
        return lastLoggingPort.get();
    }

    List<String> undecodable() {
        synchronized (undecodable) {
            return new ArrayList<>(undecodable);
        }
    }

    FanInSubscriber subscriber() {
        return subscriber;
    }

    private static Map<String, LogRecord> ofRun(Map<String, LogRecord> records, String run) {
        Map<String, LogRecord> of = new LinkedHashMap<>();
        records.forEach((id, r) -> {
            if (run.equals(r.mdc().get(Workload.MDC_RUN))) {
                of.put(id, r);
            }
        });
        return of;
    }

    @Override
    public void close() {
        subscriber.close();
    }
}
