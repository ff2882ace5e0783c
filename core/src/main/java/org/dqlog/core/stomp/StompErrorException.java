package org.dqlog.core.stomp;

import java.io.IOException;

/**
 * The broker sent an ERROR frame. The message is the frame's {@code message} header; the body
 * (the broker's details, often a stack trace) is kept in {@link #details()}, trimmed.
 */
public class StompErrorException extends IOException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_DETAILS_CHARS = 2000;

    private final String receiptId;
    private final String details;

    public StompErrorException(String origin, Frame error) {
        super("ERROR from " + origin + ": "
                + (error.header("message") != null ? PeerText.escape(error.header("message")) : "(no message)"));
        this.receiptId = error.header("receipt-id");
        String body = error.bodyAsString();
        this.details = body.length() > MAX_DETAILS_CHARS ? body.substring(0, MAX_DETAILS_CHARS) + "..." : body;
    }

    /** The receipt the ERROR refers to (the frame that caused it asked for one), or null. */
    public String receiptId() {
        return receiptId;
    }

    /** The ERROR frame's body, at most {@value #MAX_DETAILS_CHARS} characters. */
    public String details() {
        return details;
    }
}
