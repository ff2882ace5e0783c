package org.dqlog.collector;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.stomp.Receipt;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.testkit.Waits;

/** Sends to ONE broker and returns only once the broker confirmed with a receipt. */
final class Sender implements AutoCloseable {

    private static final int CHUNK = 200;
    private static final Duration RECEIPT_WAIT = Waits.CONDITION;

    private final BrokerAddress broker;
    private final Publisher publisher;

    Sender(String brokerUri) {
        this.broker = BrokerAddress.parse(brokerUri);
        this.publisher = Publisher.builder(List.of(broker)).status(Status.SILENT).build();
    }

    /** Each record as its producer would send it (same body, headers for {@code destination}). */
    void send(String destination, List<LogRecord> records) throws PublishException {
        List<OutboundMessage> chunk = new ArrayList<>(CHUNK);
        for (LogRecord r : records) {
            chunk.add(OutboundMessage.of(destination, WireMessages.sendHeaders(r, destination), RecordCodec.encode(r)));
            if (chunk.size() == CHUNK) {
                publisher.publish(chunk);
                chunk.clear();
            }
        }
        publisher.publish(chunk);
    }

    void send(String destination, LogRecord record) throws PublishException {
        send(destination, List.of(record));
    }

    /** Raw frames with exactly these headers and bodies (bad input, foreign producers), one receipt at the end. */
    void sendRaw(String destination, List<Map<String, String>> headers, List<byte[]> bodies) throws IOException,
            InterruptedException {
        SessionConfig config = SessionConfig.builder().maxFrameBytes(64 * 1024 * 1024).build();
        try (StompSession session = StompSession.open(broker, config, SessionListener.IGNORE)) {
            Receipt last = null;
            for (int i = 0; i < bodies.size(); i++) {
                Map<String, String> h = new LinkedHashMap<>(headers.get(i));
                h.remove("destination");
                h.put("persistent", "true");
                if (i == bodies.size() - 1) {
                    last = session.sendWithReceipt(destination, h, bodies.get(i));
                } else {
                    session.send(destination, h, bodies.get(i));
                }
            }
            if (last != null && !last.await(RECEIPT_WAIT)) {
                throw new IOException("no receipt from " + broker + ": " + last.failure());
            }
        }
    }

    void sendRaw(String destination, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        sendRaw(destination, List.of(headers), List.of(body));
    }

    @Override
    public void close() {
        publisher.close();
    }
}
