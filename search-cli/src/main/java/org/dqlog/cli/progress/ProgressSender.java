package org.dqlog.cli.progress;

import java.time.Duration;
import java.util.List;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.ProgressPublisher;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.publish.Refusal;
import org.dqlog.core.stomp.SessionConfig;

/**
 * Sends one progress message for {@code dqlog notify}: to one broker of the settings, with a
 * receipt, failing over to the next and trying the brokers in rounds until the timeout, like
 * {@code dqlog panic}. A message whose receipt was lost may be stored twice (on two brokers):
 * the {@code id} it carries lets {@code dqlog listen} drop the repeat.
 *
 * <p>Stateless, so thread-safe.
 */
public final class ProgressSender {

    /** Pause between two rounds of trying every broker, within the timeout. */
    private static final Duration ROUND_PAUSE = Duration.ofMillis(500);

    private ProgressSender() { }

    /**
     * Sends {@code message} and returns the broker that confirmed it.
     *
     * @throws NotSentException saying why: no broker configured, every broker refused it for good
     *     (login, authorisation), or none confirmed it within {@code timeout}
     */
    public static BrokerAddress send(ProgressMessage message, ClientSettings settings, Duration timeout)
            throws NotSentException, InterruptedException {
        List<BrokerAddress> brokers = settings.brokers();
        if (brokers.isEmpty()) {
            throw new NotSentException("no brokers configured: set " + ClientSettings.environmentName(ClientSettings.BROKERS)
                    + " (tcp://host:61613,...)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        SessionConfig session = SessionConfig.builder().credentials(settings.credentials()).tls(settings.tls())
                .connectTimeout(min(SessionConfig.DEFAULT_CONNECT_TIMEOUT, timeout))
                .receiptTimeout(min(SessionConfig.DEFAULT_RECEIPT_TIMEOUT, timeout))
                .build();
        try (Publisher publisher = Publisher.builder(brokers).sessionConfig(session).status(Status.SILENT)
                .roundTimeout(timeout).build()) {
            List<OutboundMessage> batch = List.of(ProgressPublisher.toMessage(message));
            PublishException last = null;
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0) {
                try {
                    List<Refusal> refusals = publisher.publish(batch, Duration.ofNanos(remaining));
                    if (!refusals.isEmpty()) {
                        // the broker's authorization or size limit said no: no retry will change that
                        throw new NotSentException("the broker refused it for good: " + Refusal.describe(refusals));
                    }
                    return publisher.lastConfirmedBy();
                } catch (PublishException e) {
                    if (e.everyBrokerRefused()) {
                        throw new NotSentException(e.getMessage());
                    }
                    last = e;
                }
                long pause = Math.min(ROUND_PAUSE.toNanos(), deadline - System.nanoTime());
                if (pause > 0) {
                    Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                }
            }
            throw new NotSentException("no broker confirmed it within " + timeout
                    + (last == null ? "" : ": " + last.getMessage()));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The message was not stored by any broker; the text says why, without secrets. */
    public static final class NotSentException extends Exception {
        private static final long serialVersionUID = 1L;

        NotSentException(String message) {
            super(message);
        }
    }
}
