package org.dqlog.core.subscribe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.Receipt;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.testkit.Waits;

/** Sends test messages with a plain STOMP session, stored for sure: persistent, receipt on the last. */
final class Brokers {

    static final Duration WAIT = Waits.CONDITION;
    /** Generous heart-beats and timeouts for a busy 2-core machine; quick reconnects so tests stay short. */
    static final SessionConfig SESSION = SessionConfig.builder()
            .heartbeat(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofSeconds(3))
            .disconnectTimeout(Duration.ofSeconds(3))
            .build();
    static final Duration RECONNECT_MIN = Duration.ofMillis(100);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(1);

    private Brokers() { }

    static BrokerAddress address(String host, int port) {
        return BrokerAddress.of(BrokerAddress.Scheme.TCP, host, port);
    }

    /** Sends {@code count} messages whose bodies are {@code prefix-1} ... {@code prefix-count}; returns those ids once the broker stored them. */
    static List<String> send(BrokerAddress broker, String destination, String prefix, int count) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(prefix + "-" + i);
        }
        sendBodies(broker, destination, ids, Map.of());
        return ids;
    }

    static void sendBodies(BrokerAddress broker, String destination, List<String> bodies, Map<String, String> headers)
            throws IOException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("persistent", "true");
        try (StompSession session = StompSession.open(broker, SESSION, SessionListener.IGNORE)) {
            Receipt last = null;
            for (int i = 0; i < bodies.size(); i++) {
                byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
                if (i == bodies.size() - 1) {
                    last = session.sendWithReceipt(destination, h, body);
                } else {
                    session.send(destination, h, body);
                }
            }
            try {
                if (last != null && !last.await(WAIT)) {
                    throw new IOException("no receipt from " + broker + ": " + last.failure());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
