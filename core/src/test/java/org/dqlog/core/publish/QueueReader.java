package org.dqlog.core.publish;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.core.testing.BatchLines;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.Waits;

/**
 * Consumes a queue of one broker and keeps every message, for counting records by id. Acknowledges
 * cumulatively every {@value #ACK_EVERY} messages (ActiveMQ's per-message auto ack is slow).
 */
final class QueueReader implements AutoCloseable {

    private static final int ACK_EVERY = 200;
    private static final int PREFETCH = 2000;

    private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger received = new AtomicInteger();
    private final ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> undecodable = new ConcurrentLinkedQueue<>();
    private final StompSession session;

    private QueueReader(BrokerAddress broker, String destination, Credentials credentials) throws IOException {
        SessionConfig config = SessionConfig.builder().heartbeat(Duration.ofSeconds(2)).credentials(credentials).build();
        session = StompSession.open(broker, config, new SessionListener() {
            @Override
            public void onMessage(StompSession s, Frame message) {
                frames.add(message);
                if (received.incrementAndGet() % ACK_EVERY == 0) {
                    ackQuietly(s, message); // cumulative: one ACK covers every earlier message
                }
                try {
                    for (LogRecord record : BatchLines.records(message.headers(), message.body())) {
                        records.add(record);
                        ids.add(record.id());
                    }
                } catch (MalformedRecordException e) {
                    undecodable.add(message + ": " + e.getMessage());
                }
            }

            @Override
            public void onClosed(StompSession s, Throwable cause) {
            }
        });
        session.subscribe("reader", destination, AckMode.CLIENT, Map.of("activemq.prefetchSize", Integer.toString(PREFETCH)));
        // Frames of a connection are handled in order: once this receipt is back, the subscription is
        // active, so a topic message published afterwards is not missed.
        try {
            if (!session.sendWithReceipt("/topic/dqlog.test.sync", Map.of(), new byte[0]).await(Waits.CONDITION)) {
                throw new IOException("no receipt after SUBSCRIBE from " + broker);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void ackQuietly(StompSession s, Frame message) {
        try {
            s.ack(message);
        } catch (IOException e) {
            // the reader is closing; unacknowledged messages stay on the broker
        }
    }

    static QueueReader open(BrokerProcess broker, String destination) throws IOException {
        return open(broker.uri(), destination, Credentials.NONE);
    }

    /** Reads {@code destination} of the broker at {@code uri}, logged in with {@code credentials}. */
    static QueueReader open(String uri, String destination, Credentials credentials) throws IOException {
        return new QueueReader(BrokerAddress.parse(uri), destination, credentials);
    }

    List<Frame> frames() {
        return new ArrayList<>(frames);
    }

    /** Records decoded with the consumer's identity rules, in arrival order. */
    List<LogRecord> records() {
        if (!undecodable.isEmpty()) {
            throw new AssertionError("undecodable messages: " + undecodable);
        }
        return new ArrayList<>(records);
    }

    /** Distinct record ids received so far. */
    Set<String> ids() {
        if (!undecodable.isEmpty()) {
            throw new AssertionError("undecodable messages: " + undecodable);
        }
        return new HashSet<>(ids);
    }

    @Override
    public void close() {
        session.close();
    }
}
