package org.dqlog.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;

/** A plain STOMP consumer of one queue of one broker, for what a test expects on the wire. */
final class RawConsumer implements AutoCloseable {

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final StompSession session;

    private RawConsumer(String brokerUri, String destination, String selector) throws IOException {
        session = StompSession.open(BrokerAddress.parse(brokerUri), SessionConfig.DEFAULTS, new SessionListener() {
            @Override
            public void onMessage(StompSession from, Frame message) {
                frames.add(message);
            }

            @Override
            public void onClosed(StompSession from, Throwable cause) { }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        if (selector != null) {
            headers.put("selector", selector);
        }
        session.subscribe("raw", destination, AckMode.AUTO, headers);
    }

    /** Consumes {@code destination} of the broker, only messages matching {@code selector} (null: all). */
    static RawConsumer open(String brokerUri, String destination, String selector) throws IOException {
        return new RawConsumer(brokerUri, destination, selector);
    }

    /** The next message within {@code timeout}, or null. */
    Frame next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        session.close();
    }
}
