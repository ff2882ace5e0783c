package org.dqlog.core.appender;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.dqlog.core.Destinations;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompSession;
import org.dqlog.core.testing.BatchLines;
import org.dqlog.testkit.Waits;

/**
 * Test helper: consumes the logging and panic queues of one broker (the central log, as the
 * collector would see it) and keeps every record by id, per queue, decoded with the contract's
 * own rules ({@link WireMessages#fromMessage}). Counts duplicates and undecodable bodies, so a
 * test can say "exactly these records, once each". Reusable by any module whose tests depend on
 * core's test-jar (the appenders, it/).
 *
 * <p>Thread-safe: records arrive on the session's reader thread, tests read on theirs.
 */
public final class CentralLogRecorder implements AutoCloseable {

    public static final Duration DEFAULT_WAIT = Waits.CONDITION;

    private final StompSession session;
    private final Map<String, LogRecord> logging = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, LogRecord> panic = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Map<String, String>> panicHeaders = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicLong duplicates = new AtomicLong();
    private final List<String> undecodable = Collections.synchronizedList(new ArrayList<>());

    private CentralLogRecorder(BrokerAddress broker, String loggingDestination, String panicDestination)
            throws IOException {
        session = StompSession.open(broker, SessionConfig.builder().heartbeat(Duration.ofSeconds(5)).build(),
                new SessionListener() {
                    @Override
                    public void onMessage(StompSession s, Frame message) {
                        record(message);
                    }

                    @Override
                    public void onClosed(StompSession s, Throwable cause) {
                    }
                });
        session.subscribe("logging", loggingDestination, AckMode.AUTO, Collections.emptyMap());
        session.subscribe("panic", panicDestination, AckMode.AUTO, Collections.emptyMap());
    }

    /** Subscribes to the default queues of the broker at {@code uri} ({@code tcp://127.0.0.1:PORT}). */
    public static CentralLogRecorder subscribe(String uri) throws IOException {
        return new CentralLogRecorder(BrokerAddress.parse(uri), Destinations.LOGGING, Destinations.PANIC);
    }

    public static CentralLogRecorder subscribe(String uri, String loggingDestination, String panicDestination)
            throws IOException {
        return new CentralLogRecorder(BrokerAddress.parse(uri), loggingDestination, panicDestination);
    }

    private void record(Frame message) {
        List<LogRecord> records;
        try {
            records = BatchLines.records(message.headers(), message.body());
        } catch (MalformedRecordException e) {
            undecodable.add(e.getMessage());
            return;
        }
        for (LogRecord r : records) {
            record(message, r);
        }
    }

    private void record(Frame message, LogRecord r) {
        boolean fromPanicQueue = "panic".equals(message.header("subscription"));
        Map<String, LogRecord> target = fromPanicQueue ? panic : logging;
        if (target.putIfAbsent(r.id(), r) != null) {
            duplicates.incrementAndGet();
        }
        if (fromPanicQueue) {
            panicHeaders.put(r.id(), message.headers());
        }
    }

    /** Records from the logging queue, by id, in arrival order. */
    public Map<String, LogRecord> logging() {
        synchronized (logging) {
            return new LinkedHashMap<>(logging);
        }
    }

    /** Records from the panic queue, by id, in arrival order. */
    public Map<String, LogRecord> panic() {
        synchronized (panic) {
            return new LinkedHashMap<>(panic);
        }
    }

    /** The headers of the panic queue's copy of a record. */
    public Map<String, String> panicHeaders(String id) {
        return panicHeaders.get(id);
    }

    /** Logging-queue records whose message is {@code message}. */
    public List<LogRecord> withMessage(String message) {
        return logging().values().stream().filter(r -> message.equals(r.message())).collect(Collectors.toList());
    }

    /** The one logging-queue record with this message, waiting for it. */
    public LogRecord awaitMessage(String message) {
        await().atMost(DEFAULT_WAIT).until(() -> !withMessage(message).isEmpty());
        List<LogRecord> found = withMessage(message);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " records with message '" + message + "': " + found);
        }
        return found.get(0);
    }

    /** Waits until the logging queue brought at least {@code count} records. */
    public void awaitLoggingCount(int count) {
        await().atMost(DEFAULT_WAIT).until(() -> logging.size() >= count);
    }

    /** Waits until the panic queue brought at least {@code count} records. */
    public void awaitPanicCount(int count) {
        await().atMost(DEFAULT_WAIT).until(() -> panic.size() >= count);
    }

    /** Messages received a second time with an id already seen on the same queue. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Why bodies could not be decoded; empty if all could. */
    public List<String> undecodable() {
        synchronized (undecodable) {
            return new ArrayList<>(undecodable);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
