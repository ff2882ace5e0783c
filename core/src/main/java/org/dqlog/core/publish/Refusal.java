package org.dqlog.core.publish;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A broker refused one message of a batch for a reason of its own (not authorised to write to its
 * destination, too large), so no broker will ever take it: sending it again would only stop
 * everything behind it. The {@link Publisher} delivered the rest of the batch; the caller keeps
 * this message aside (a dead-letter file) and says so.
 *
 * <p>Immutable.
 */
public final class Refusal {

    private final int index;
    private final OutboundMessage message;
    private final String reason;

    Refusal(int index, OutboundMessage message, String reason) {
        this.index = index;
        this.message = message;
        this.reason = reason;
    }

    /** Position of the refused message in the batch given to {@link Publisher#publish}. */
    public int index() {
        return index;
    }

    public OutboundMessage message() {
        return message;
    }

    /** The broker's words (its ERROR frame's message), naming the broker. */
    public String reason() {
        return reason;
    }

    /**
     * The refusals in one line for an error message, e.g. {@code "/queue/atlas.dqm.panic: ERROR from tcp://mq1:61613: User app is not
     * authorized to write to: queue://atlas.dqm.panic"}.
     */
    public static String describe(List<Refusal> refusals) {
        return refusals.stream().map(r -> r.message.destination() + ": " + r.reason).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return "Refusal[" + index + ", " + message + ", " + reason + "]";
    }
}
