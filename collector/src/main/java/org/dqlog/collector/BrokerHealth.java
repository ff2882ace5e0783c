package org.dqlog.collector;

import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.dqlog.collector.ops.CollectorMetrics;
import org.dqlog.core.subscribe.BrokerStateListener;
import org.dqlog.core.subscribe.BrokerStatus;
import org.dqlog.core.subscribe.ConnectionState;

/**
 * Folds the sessions the collector keeps with one broker (one per subscriber: logging and panic)
 * into that broker's state in {@link CollectorMetrics}: up only while every subscriber consumes
 * from it, because a broker whose panic session is down would let panics wait unseen. The reason
 * of a broker that is down names the subscriber and its last error.
 *
 * <p>Thread-safe: state changes of all brokers and subscribers serialise on this object.
 */
final class BrokerHealth implements BrokerStateListener {

    private final CollectorMetrics metrics;
    private final int subscribers;
    private final Map<String, Map<String, BrokerStatus>> byBroker = new HashMap<>(); // guarded by this

    /** @param subscribers how many subscribers keep a session with every broker */
    BrokerHealth(CollectorMetrics metrics, int subscribers) {
        this.metrics = metrics;
        this.subscribers = subscribers;
    }

    @Override
    public synchronized void onStateChanged(BrokerStatus status) {
        String broker = status.broker().toString();
        Map<String, BrokerStatus> sessions = byBroker.computeIfAbsent(broker, b -> new TreeMap<>());
        if (status.state() == ConnectionState.CLOSED) {
            sessions.remove(status.subscriber());
            if (sessions.isEmpty()) {
                byBroker.remove(broker);
                metrics.brokerRemoved(broker);
                return;
            }
        } else {
            sessions.put(status.subscriber(), status);
        }
        StringJoiner problems = new StringJoiner("; ");
        for (BrokerStatus s : sessions.values()) {
            if (s.state() != ConnectionState.CONNECTED) {
                String error = s.lastError();
                problems.add(s.subscriber() + " session " + s.state().name().toLowerCase()
                        + (error != null ? ": " + error : ""));
            }
        }
        if (sessions.size() < subscribers && problems.length() == 0) {
            problems.add("not every session is open yet");
        }
        if (problems.length() == 0) {
            metrics.brokerUp(broker);
        } else {
            metrics.brokerDown(broker, problems.toString());
        }
    }
}
