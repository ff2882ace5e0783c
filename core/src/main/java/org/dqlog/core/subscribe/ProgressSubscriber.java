package org.dqlog.core.subscribe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.stomp.AckMode;

/**
 * Subscribes to the progress topic ({@value ProgressMessage#DESTINATION}) of every broker, as the
 * DQ services use it: a selector on {@code MsgType} picks the kinds of message wanted (the broker
 * filters, so the others never travel), and each message arrives decoded as a {@link
 * ProgressMessage}. A topic keeps nothing for absent subscribers, so the subscription uses auto
 * acknowledgement: there is nothing to redeliver.
 *
 * <pre>{@code
 * FanInSubscriber runEnds = ProgressSubscriber.builder(brokers,
 *         (message, delivery) -> startPostProcessing(message.field("run")), ProgressMessage.TYPE_RUN_END)
 *     .sessionConfig(config).status(status).name("progress")
 *     .start();
 * }</pre>
 *
 * <p>Stateless, so thread-safe.
 */
public final class ProgressSubscriber {

    private ProgressSubscriber() { }

    /**
     * A {@link FanInSubscriber} builder set up for the progress topic: destination, auto
     * acknowledgement, a {@code MsgType} selector for {@code types} (all messages when none), and
     * a handler that decodes. Set the rest (session config, status, listener, name) and start it;
     * {@link FanInSubscriber.Builder#selector} may replace the selector with a richer one.
     */
    public static FanInSubscriber.Builder builder(BrokerResolver brokers, ProgressHandler handler, String... types) {
        return FanInSubscriber.builder(brokers)
                .destinations(ProgressMessage.DESTINATION)
                .ackMode(AckMode.AUTO)
                .name("progress")
                .selector(types.length == 0 ? null : selectorFor(Arrays.asList(types)))
                .handler(decoding(handler));
    }

    /**
     * The JMS selector that picks {@code types}: {@code MsgType = 'RunEnd'}, or {@code MsgType IN
     * ('RunStart', 'RunEnd')}; quotes inside a type are doubled, as the selector syntax wants.
     */
    public static String selectorFor(Collection<String> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("no MsgType to select");
        }
        List<String> literals = new ArrayList<>(types.size());
        for (String type : types) {
            if (type == null || type.trim().isEmpty()) {
                throw new IllegalArgumentException("blank MsgType in " + types);
            }
            literals.add("'" + type.replace("'", "''") + "'");
        }
        return literals.size() == 1
                ? MessageHeaders.MSG_TYPE + " = " + literals.get(0)
                : MessageHeaders.MSG_TYPE + " IN (" + String.join(", ", literals) + ")";
    }

    /** A delivery handler that decodes each message and hands it to {@code handler}. */
    public static DeliveryHandler decoding(ProgressHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return delivery -> {
            ProgressMessage message;
            try {
                message = ProgressMessage.fromMessage(delivery.headers(), delivery.body());
            } catch (MalformedRecordException e) {
                handler.onMalformed(delivery, e);
                return;
            }
            handler.onProgress(message, delivery);
        };
    }
}
