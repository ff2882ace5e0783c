package org.dqlog.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.WireMessages;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.stomp.SessionConfig;

/**
 * A publisher in its own JVM, for the broker-kill tests: {@code count} records with ids
 * {@code PREFIX-0 ...}, in batches through core's {@link Publisher} (receipt on the last frame of
 * each batch), paced. After each confirmed batch it prints {@code confirmed FIRST LAST PORT}
 * (the broker that confirmed it), at the end {@code sent N}; then it waits for EOF on stdin. With
 * {@code --pause-at K} it stops before the batch that holds record K, prints {@code paused at K}
 * and goes on after a line {@code go}: a test that kills a broker "mid-stream" then knows the
 * stream is not over, however slow the machine.
 *
 * <p>Arguments: {@code --brokers URIS --destination D --prefix P --count N --batch B [--per-second R]
 * [--pause-at K]}.
 */
public final class PublisherApp {

    /** A batch failing on every broker (the restarted one still starting) is tried again this often. */
    private static final int MAX_ROUNDS_PER_BATCH = 30;

    private PublisherApp() {
    }

    public static void main(String[] args) throws IOException {
        String brokers = null;
        String destination = null;
        String prefix = "p";
        int count = 1000;
        int batchSize = 100;
        int perSecond = 0;
        int pauseAt = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--brokers": brokers = args[++i]; break;
                case "--destination": destination = args[++i]; break;
                case "--prefix": prefix = args[++i]; break;
                case "--count": count = Integer.parseInt(args[++i]); break;
                case "--batch": batchSize = Integer.parseInt(args[++i]); break;
                case "--per-second": perSecond = Integer.parseInt(args[++i]); break;
                case "--pause-at": pauseAt = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SessionConfig session = SessionConfig.builder().heartbeat(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(5)).receiptTimeout(Duration.ofSeconds(20)).build();
        Publisher publisher = Publisher.builder(BrokerAddress.parseList(brokers)).sessionConfig(session).build();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        for (int first = 0; first < count; first += batchSize) {
            int last = Math.min(first + batchSize, count) - 1;
            if (first <= pauseAt && pauseAt <= last) {
                System.out.println("paused at " + pauseAt);
                System.out.flush();
                long pausedAt = System.nanoTime();
                String line;
                while ((line = stdin.readLine()) != null && !line.trim().equals("go")) {
                    // only "go" lets it on
                }
                if (line == null) {
                    System.exit(1); // the test JVM is gone
                }
                start += System.nanoTime() - pausedAt; // the same pace afterwards, not a burst
            }
            if (perSecond > 0) {
                long wait = start + TimeUnit.SECONDS.toNanos(first) / perSecond - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            List<OutboundMessage> batch = batch(destination, prefix, first, last);
            for (int round = 1; ; round++) {
                try {
                    publisher.publish(batch);
                    break;
                } catch (PublishException e) {
                    if (round == MAX_ROUNDS_PER_BATCH) {
                        System.out.println("gave up on batch " + first + ".." + last + ": " + e.getMessage());
                        System.exit(1);
                    }
                }
            }
            System.out.println("confirmed " + first + " " + last + " " + publisher.lastConfirmedBy().port());
        }
        System.out.println("sent " + count + " failovers " + publisher.failovers());
        System.out.flush();
        publisher.close();
        while (stdin.read() >= 0) {
            // wait for the test JVM to let go (EOF)
        }
        System.exit(0);
    }

    private static List<OutboundMessage> batch(String destination, String prefix, int first, int last) {
        List<OutboundMessage> batch = new ArrayList<>(last - first + 1);
        for (int seq = first; seq <= last; seq++) {
            LogRecord r = LogRecord.builder().id(prefix + "-" + seq).type(LogRecord.TYPE_LOG)
                    .ts(Instant.now().truncatedTo(ChronoUnit.MICROS)).host("publisher-host").app("publisher-app")
                    .pid(ProcessHandle.current().pid()).level(Level.INFO).logger("org.dqlog.it.Publisher")
                    .thread("main").message("record " + seq).build();
            batch.add(OutboundMessage.of(destination, WireMessages.sendHeaders(r, destination), RecordCodec.encode(r)));
        }
        return batch;
    }
}
