package org.dqlog.bench;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;
import org.dqlog.core.Destinations;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Status;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.Publisher;
import org.dqlog.testkit.BrokerProcess;

/**
 * Persistent messages per second into one real ActiveMQ broker (a child process, KahaDB): our
 * {@link Publisher} over STOMP with a receipt every 1, 10 or 100 messages, against a plain JMS
 * producer over OpenWire (activemq-client: persistent, non-transacted, so every send waits for the
 * broker's store) and a JMS producer that commits a transaction every 100 messages (JMS's own way
 * of confirming a batch). Same bodies, same headers, a queue of its own per variant.
 *
 * <pre>java -cp CP org.dqlog.bench.BrokerThroughput [--records 20000] [--warmup 2000] [--body-bytes 300] [--rounds 2]</pre>
 *
 * <p>With {@code --fleet N} it measures whole senders instead: see {@link SenderFleet}.
 */
public final class BrokerThroughput {

    private static final Pattern OPENWIRE_LINE = Pattern.compile("^dqlog-broker openwire=(\\S+)$");

    private BrokerThroughput() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, "--records", "--warmup", "--body-bytes", "--rounds", "--fleet", "--windows", "--batch-records");
        int fleet = args.intValue("--fleet", 0);
        if (fleet > 0) {
            SenderFleet.run(fleet, args.intValue("--body-bytes", 300), args.intValue("--rounds", 2),
                    args.string("--windows", "1,2,4,8,16"),
                    args.intValue("--batch-records", org.dqlog.core.publish.SenderConfig.DEFAULT_BATCH_MAX_RECORDS));
            return;
        }
        int records = args.intValue("--records", 20_000);
        int warmup = args.intValue("--warmup", 2_000);
        int bodyBytes = args.intValue("--body-bytes", 300);
        int rounds = args.intValue("--rounds", 2);

        List<LogRecord> sample = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            sample.add(SampleRecords.ofSize(bodyBytes, String.format("bench-%012d", i)));
        }
        System.out.printf("BrokerThroughput: %,d persistent records of %d bytes, %d rounds; %s%n",
                records, RecordCodec.encode(sample.get(0)).length, rounds, Machine.describe());

        Path data = Files.createTempDirectory("dqlog-bench-broker");
        try {
            run(sample, records, warmup, rounds, data);
        } finally {
            TempDirs.deleteQuietly(data);
        }
    }

    private static void run(List<LogRecord> sample, int records, int warmup, int rounds, Path data) throws Exception {
        // Full JIT for the broker, as in production; the testkit default (C1 only) suits short tests.
        try (BrokerProcess broker = BrokerProcess.builder(data).name("bench-broker")
                .jvmOptions(List.of("-Xmx512m"))
                .args("--openwire-port", "0").start()) {
            MatchResult openwire = broker.process().awaitLine(OPENWIRE_LINE, Duration.ofSeconds(10));
            String openwireUri = openwire.group(1);
            List<Variant> variants = List.of(
                    new StompVariant(broker.uri(), 1), new StompVariant(broker.uri(), 10),
                    new StompVariant(broker.uri(), 100),
                    new JmsVariant(openwireUri, 0), new JmsVariant(openwireUri, 100));
            for (Variant v : variants) {
                v.send(sample.subList(0, Math.min(warmup, records)), "bench.warmup");
            }
            destroyQueue(openwireUri, "bench.warmup");
            for (int round = 1; round <= rounds; round++) {
                for (Variant v : variants) {
                    String queue = "bench." + v.name().replaceAll("[^A-Za-z0-9]+", "-") + "." + round;
                    long start = System.nanoTime();
                    try {
                        v.send(sample, queue);
                    } catch (Exception e) {
                        System.out.printf("round %d  %-42s FAILED (broker alive: %s): %s%n", round, v.name(),
                                broker.isAlive(), e);
                        throw e;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("round %d  %-42s %,8.0f msg/s  (%.1f s)  load %s%n",
                            round, v.name(), records / seconds, seconds, Machine.loadAverage());
                    // Nothing consumes: without this the store and the broker's memory fill up
                    // round after round, and a later variant would measure a fuller broker.
                    destroyQueue(openwireUri, queue);
                }
            }
        }
    }

    /** Deletes a queue and its messages (not timed). */
    static void destroyQueue(String openwireUri, String queue) throws JMSException {
        ActiveMQConnection connection = (ActiveMQConnection) new ActiveMQConnectionFactory(openwireUri).createConnection();
        try {
            connection.start();
            connection.destroyDestination(new ActiveMQQueue(queue));
        } finally {
            connection.close();
        }
    }

    /** One way of putting records into the broker; {@link #send} returns when the broker stored them all. */
    interface Variant {
        String name();

        void send(List<LogRecord> records, String queue) throws Exception;
    }

    static final class StompVariant implements Variant {
        private final String uri;
        private final int batch;

        StompVariant(String uri, int batch) {
            this.uri = uri;
            this.batch = batch;
        }

        @Override
        public String name() {
            return "dqlog Publisher (STOMP), receipt every " + batch;
        }

        @Override
        public void send(List<LogRecord> records, String queue) throws Exception {
            String destination = "/queue/" + queue;
            try (Publisher publisher = Publisher.builder(List.of(BrokerAddress.parse(uri))).status(Status.SILENT).build()) {
                publisher.connect();
                List<OutboundMessage> messages = new ArrayList<>(batch);
                for (LogRecord r : records) {
                    messages.add(OutboundMessage.of(destination, WireMessages.sendHeaders(r, Destinations.LOGGING),
                            RecordCodec.encode(r)));
                    if (messages.size() == batch) {
                        publisher.publish(messages);
                        messages = new ArrayList<>(batch);
                    }
                }
                publisher.publish(messages);
            }
        }
    }

    static final class JmsVariant implements Variant {
        private final String uri;
        private final int commitEvery;

        /** {@code commitEvery} 0: non-transacted session (each persistent send waits for the store). */
        JmsVariant(String uri, int commitEvery) {
            this.uri = uri;
            this.commitEvery = commitEvery;
        }

        @Override
        public String name() {
            return commitEvery == 0 ? "JMS (OpenWire), persistent sync send" : "JMS (OpenWire), transaction every " + commitEvery;
        }

        @Override
        public void send(List<LogRecord> records, String queue) throws JMSException {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(uri);
            Connection connection = factory.createConnection();
            try {
                boolean transacted = commitEvery > 0;
                Session session = connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                int inTransaction = 0;
                for (LogRecord r : records) {
                    TextMessage m = session.createTextMessage(new String(RecordCodec.encode(r), StandardCharsets.UTF_8));
                    for (Map.Entry<String, String> h : WireMessages.sendHeaders(r, Destinations.LOGGING).entrySet()) {
                        if (isJmsPropertyName(h.getKey())) {
                            m.setStringProperty(h.getKey(), h.getValue());
                        }
                    }
                    producer.send(m);
                    if (transacted && ++inTransaction == commitEvery) {
                        session.commit();
                        inTransaction = 0;
                    }
                }
                if (transacted) {
                    session.commit();
                }
            } finally {
                connection.close();
            }
        }

        /** STOMP's own headers (persistent, content-type, amq-msg-type) are JMS settings, not properties. */
        private static boolean isJmsPropertyName(String name) {
            return Character.isJavaIdentifierStart(name.charAt(0)) && name.chars().allMatch(Character::isJavaIdentifierPart)
                    && !name.equals("persistent");
        }
    }
}
