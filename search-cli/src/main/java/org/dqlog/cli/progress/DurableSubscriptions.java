package org.dqlog.cli.progress;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.Receipt;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompErrorException;
import org.dqlog.core.stomp.StompSession;

/**
 * ActiveMQ's durable topic subscriptions over STOMP, as {@code dqlog listen --durable NAME} uses
 * them: the connection's {@code client-id} and the subscription's {@code
 * activemq.subscriptionName} are both NAME, so one name is one subscription per broker, and the
 * broker refuses a second connection with the same client-id while the first is open.
 *
 * <p>Stateless, so thread-safe.
 */
public final class DurableSubscriptions {

    /** ActiveMQ's SUBSCRIBE / UNSUBSCRIBE header naming a durable subscription: {@value}. */
    public static final String SUBSCRIPTION_NAME_HEADER = "activemq.subscriptionName";

    private DurableSubscriptions() { }

    /** The session config of a durable listener NAME: {@code client-id} NAME. */
    public static SessionConfig sessionConfig(SessionConfig base, String name) {
        return base.toBuilder().clientId(name).build();
    }

    /**
     * True when {@code failure} is the broker's refusal of a client-id that another connection
     * holds (ActiveMQ: {@code InvalidClientIDException ... already connected}).
     */
    public static boolean isNameInUse(Throwable failure) {
        if (!(failure instanceof StompErrorException)) {
            return false;
        }
        String text = failure.getMessage() + " " + ((StompErrorException) failure).details();
        return text.contains("InvalidClientID") || text.contains("already connected");
    }

    /** What {@link #remove} found on one broker. */
    public enum Outcome { REMOVED, NONE, IN_USE }

    /**
     * Removes the durable subscription NAME from one broker.
     *
     * @throws IOException when the broker cannot be reached or answers with another error
     */
    public static Outcome remove(BrokerAddress broker, SessionConfig base, String name)
            throws IOException, InterruptedException {
        StompSession session;
        try {
            session = StompSession.open(broker, sessionConfig(base, name), SessionListener.IGNORE);
        } catch (StompErrorException e) {
            if (isNameInUse(e)) {
                return Outcome.IN_USE;
            }
            throw e;
        }
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("destination", ProgressMessage.DESTINATION);
            headers.put(SUBSCRIPTION_NAME_HEADER, name);
            Receipt receipt = session.unsubscribeWithReceipt("dqlog-0", headers);
            if (receipt.await(base.receiptTimeout())) {
                return Outcome.REMOVED;
            }
            Throwable why = receipt.failure();
            if (why instanceof StompErrorException && describes(why, "No durable subscription")) {
                return Outcome.NONE;
            }
            if (why instanceof StompErrorException && describes(why, "in use")) {
                return Outcome.IN_USE;
            }
            throw why instanceof IOException ? (IOException) why
                    : new IOException("no receipt from " + broker + " within " + base.receiptTimeout());
        } finally {
            session.close();
        }
    }

    private static boolean describes(Throwable error, String words) {
        return (error.getMessage() + " " + ((StompErrorException) error).details()).contains(words);
    }
}
